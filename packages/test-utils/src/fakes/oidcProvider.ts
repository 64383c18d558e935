// The test typecheck (tsconfig.tests.json) does not include .d.ts files of packages: point at it.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./oidc-provider.d.ts" />
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, exportSPKI, SignJWT, decodeJwt, decodeProtectedHeader, type JWK } from 'jose';

/**
 * A real OpenID Provider for tests: `oidc-provider` (the certified Node implementation) on a
 * local port, with a few users and one confidential client that must use PKCE.
 *
 * **Logging in.** oidc-provider's development interactions are on: the authorization endpoint
 * sends the browser to `/interaction/<uid>`, a form with `login` and `password`. Type a user's
 * `sub` as the login and anything as the password, then press "Continue" on the consent page.
 * Playwright does exactly that in Chromium; a test without a browser calls `login(url, sub)`,
 * which drives the same forms with fetch and a cookie jar and returns the URL the provider
 * sends the browser back to (the client's redirect URI with `code`, `state` and `iss`).
 *
 * **Bad tokens.** `tamperIdToken` rewrites the ID token the token endpoint returns (wrong
 * issuer, audience, nonce, expiry; `alg: none`; HS256 signed with the provider's public key),
 * so a test can show the relying party refuses each one.
 */
export interface FakeOidcUser {
  /** The login to type in the form, and the ID token's `sub`. */
  sub: string;
  email?: string;
  email_verified?: boolean;
  preferred_username?: string;
  name?: string;
}

export interface FakeOidcClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** How to rewrite the next ID tokens: new claims (merged over the real ones) and how to sign. */
export interface IdTokenTamper {
  claims?: Record<string, unknown>;
  /** `RS256` (the provider's own key, default), `none` (unsigned), or `HS256-public-key` (signed with the public key as an HMAC secret). */
  sign?: 'RS256' | 'none' | 'HS256-public-key';
}

export interface FakeOidcProviderOptions {
  /** Port to listen on (default: an ephemeral one). Always on 127.0.0.1. */
  port?: number;
  users: FakeOidcUser[];
  client: FakeOidcClient;
}

export interface FakeOidcProvider {
  /** The issuer, `http://127.0.0.1:<port>` (no trailing slash). */
  issuer: string;
  /** `<issuer>/.well-known/openid-configuration`, Backstage's `metadataUrl`. */
  metadataUrl: string;
  /**
   * Follows an authorization URL through the login and consent forms as the user `sub` and
   * returns the redirect back to the client (not followed). Each call has its own cookie jar,
   * as a fresh browser would.
   */
  login(authorizationUrl: string, sub: string): Promise<string>;
  /** Rewrites every ID token from now on (undefined: stop). */
  tamperIdToken(tamper: IdTokenTamper | undefined): void;
  /** How many authorization codes the token endpoint redeemed (or refused). */
  tokenRequests(): number;
  stop(): Promise<void>;
}

/** A cookie jar of one simulated browser, for one origin. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired =
        attributes.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()) || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export async function startFakeOidcProvider(options: FakeOidcProviderOptions): Promise<FakeOidcProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid: 'fixture-key', alg: 'RS256', use: 'sig' };
  const publicPem = await exportSPKI(publicKey);
  const users = new Map(options.users.map((u) => [u.sub, u]));
  let tamper: IdTokenTamper | undefined;
  let tokenCount = 0;

  // Loaded on first use: every test imports @atrium/test-utils, few start an OpenID Provider.
  const { default: Provider } = await import('oidc-provider');
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.client.clientId,
        client_secret: options.client.clientSecret,
        redirect_uris: options.client.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [privateJwk] },
    cookies: { keys: ['fixture-cookie-key-1'] },
    pkce: { required: () => true },
    ttl: { AuthorizationCode: 60, AccessToken: 600, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx: unknown, sub: string) {
      const user = users.get(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: async () => ({ ...user }) };
    },
  });
  // Token answers pass through here: count them, and rewrite the ID token when a test asks.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path !== '/token' || ctx.method !== 'POST') return;
    tokenCount += 1;
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.status !== 200 || !tamper || !body?.id_token) return;
    const claims = { ...decodeJwt(body.id_token), ...(tamper.claims ?? {}) };
    const header = decodeProtectedHeader(body.id_token);
    let token: string;
    if (tamper.sign === 'none') token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    else if (tamper.sign === 'HS256-public-key')
      token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: header.kid ?? 'fixture-key' }).sign(new TextEncoder().encode(publicPem));
    else token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'fixture-key' }).sign(privateKey);
    ctx.body = { ...body, id_token: token };
  });
  server.on('request', provider.callback());

  async function login(authorizationUrl: string, sub: string): Promise<string> {
    const jar = new CookieJar();
    const redirectPrefixes = options.client.redirectUris;
    let url = authorizationUrl;
    let method: 'GET' | 'POST' = 'GET';
    let form: URLSearchParams | undefined;
    for (let hop = 0; hop < 20; hop++) {
      if (redirectPrefixes.some((r) => url.startsWith(`${r}?`) || url === r)) return url;
      const res = await fetch(url, {
        method,
        redirect: 'manual',
        headers: { cookie: jar.header(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(form ? { body: form.toString() } : {}),
      });
      jar.store(res);
      method = 'GET';
      form = undefined;
      const location = res.headers.get('location');
      if (location) {
        await res.arrayBuffer();
        url = new URL(location, url).href;
        continue;
      }
      const html = await res.text();
      if (res.status !== 200) throw new Error(`The fake OpenID provider answered ${res.status} at ${url}: ${html.slice(0, 300)}`);
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
      if (!action || !prompt) throw new Error(`Unexpected page from the fake OpenID provider at ${url}: ${html.slice(0, 300)}`);
      url = new URL(action.replace(/&amp;/g, '&'), url).href;
      method = 'POST';
      form = new URLSearchParams(prompt === 'login' ? { prompt, login: sub, password: 'any' } : { prompt });
    }
    throw new Error(`The fake OpenID provider did not send the browser back to the client after 20 hops (last: ${url})`);
  }

  return {
    issuer,
    metadataUrl: `${issuer}/.well-known/openid-configuration`,
    login,
    tamperIdToken: (t) => void (tamper = t),
    tokenRequests: () => tokenCount,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
