import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for github.com in tests: GitHub's documented OAuth web flow
 * (`GET /login/oauth/authorize`, `POST /login/oauth/access_token`) and the two REST calls a
 * sign-in needs (`GET /user`, `GET /user/emails`), answered in GitHub's shapes, including its
 * habit of answering token errors with 200 and an `error` field. The REST API is served both at
 * the root (like api.github.com) and under `/api/v3` (like a GitHub Enterprise Server), so the
 * fake's `url` works as an `enterpriseInstanceUrl`.
 *
 * The fake has no login page: `/login/oauth/authorize` approves at once as the user set with
 * `signInAs`, as GitHub does for someone already signed in who has authorised the app before.
 */
export interface FakeGitHubUser {
  id: number;
  login: string;
  name: string | null;
  /** The emails `/user/emails` lists. */
  emails?: Array<{ email: string; primary: boolean; verified: boolean; visibility?: 'public' | 'private' | null }>;
}

export interface FakeGitHubOAuthOptions {
  clientId?: string;
  clientSecret?: string;
  /** The OAuth app's registered callback URL; `redirect_uri` must start with it (GitHub's rule). */
  callbackUrl?: string;
  port?: number;
  users?: FakeGitHubUser[];
}

export interface FakeGitHubOAuth {
  /** Base URL (use as `enterpriseInstanceUrl`; the REST API is at `${url}/api/v3`). */
  url: string;
  clientId: string;
  clientSecret: string;
  /** Who `/login/oauth/authorize` approves as (a login added with `users` or `addUser`). */
  signInAs(login: string): void;
  addUser(user: FakeGitHubUser): void;
  /** Sets the registered callback URL (known only once the backend has its port). */
  setCallbackUrl(url: string): void;
  /**
   * Does what the browser does at the authorize URL: returns the `Location` GitHub sends it to
   * (`<redirect_uri>?code=…&state=…`).
   */
  approve(authorizeUrl: string): Promise<string>;
  /** Token requests received, newest last (to check what the client sent). */
  tokenRequests: Array<Record<string, string>>;
  stop(): Promise<void>;
}

interface Grant {
  login: string;
  clientId: string;
  redirectUri?: string;
  scope: string;
  expiresAt: number;
}

const GRANT_LIFETIME_MS = 10 * 60_000; // GitHub: a code expires after 10 minutes

export async function startFakeGitHubOAuth(options: FakeGitHubOAuthOptions = {}): Promise<FakeGitHubOAuth> {
  const clientId = options.clientId ?? 'Iv1.fakeclientid0001';
  const clientSecret = options.clientSecret ?? crypto.randomBytes(20).toString('hex');
  let callbackUrl = options.callbackUrl;
  const users = new Map<string, FakeGitHubUser>();
  for (const u of options.users ?? []) users.set(u.login, u);
  let current: string | undefined = options.users?.[0]?.login;
  const grants = new Map<string, Grant>();
  const tokens = new Map<string, { login: string; scope: string }>();
  const tokenRequests: Array<Record<string, string>> = [];
  let baseUrl = '';

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const apiPath = url.pathname.startsWith('/api/v3/') ? url.pathname.slice('/api/v3'.length) : url.pathname;
    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') return authorize(url, res);
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') return accessToken(req, res);
    if (req.method === 'GET' && apiPath === '/user') return withToken(req, res, (_t, u) => sendJson(res, 200, userJson(u)));
    if (req.method === 'GET' && apiPath === '/user/emails') {
      return withToken(req, res, (t, u) => {
        // Without the user:email scope GitHub answers 404 (it does not reveal that the resource exists).
        if (!t.scope.split(',').some((s) => s === 'user:email' || s === 'user')) return notFound(res);
        sendJson(
          res,
          200,
          (u.emails ?? []).map((e) => ({
            email: e.email,
            primary: e.primary,
            verified: e.verified,
            visibility: e.visibility ?? (e.primary ? 'public' : null),
          })),
        );
      });
    }
    notFound(res);
  }

  function authorize(url: URL, res: http.ServerResponse): void {
    const q = url.searchParams;
    if (q.get('client_id') !== clientId) {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>404</h1><p>No OAuth app with this client_id.</p>');
      return;
    }
    const redirectUri = q.get('redirect_uri') ?? callbackUrl;
    if (!redirectUri || (callbackUrl && !redirectUri.startsWith(callbackUrl))) {
      res.writeHead(400, { 'content-type': 'text/html' });
      res.end('<h1>Be careful!</h1><p>The redirect_uri is not associated with this application.</p>');
      return;
    }
    const back = new URL(redirectUri);
    const state = q.get('state');
    if (state !== null) back.searchParams.set('state', state);
    if (!current || !users.has(current)) {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user has denied your application access.');
      res.writeHead(302, { location: back.toString() });
      res.end();
      return;
    }
    const code = crypto.randomBytes(10).toString('hex');
    // Scopes are space-separated in the request; GitHub reports them comma-separated.
    const scope = (q.get('scope') ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .join(',');
    grants.set(code, { login: current, clientId, redirectUri: q.get('redirect_uri') ?? undefined, scope, expiresAt: Date.now() + GRANT_LIFETIME_MS });
    back.searchParams.set('code', code);
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  async function accessToken(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const type = String(req.headers['content-type'] ?? '');
    const params: Record<string, string> = type.includes('application/json')
      ? (JSON.parse(raw || '{}') as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(raw));
    tokenRequests.push(params);
    const wantsJson = String(req.headers['accept'] ?? '').includes('application/json');
    const answer = (body: Record<string, string>) => {
      // GitHub answers 200 for token errors too; the body says what went wrong.
      if (wantsJson) return sendJson(res, 200, body);
      res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
      res.end(new URLSearchParams(body).toString());
    };
    const docs = 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors';
    if (params['client_id'] !== clientId || params['client_secret'] !== clientSecret) {
      return answer({
        error: 'incorrect_client_credentials',
        error_description: 'The client_id and/or client_secret passed are incorrect.',
        error_uri: `${docs}/#incorrect-client-credentials`,
      });
    }
    const code = params['code'] ?? '';
    const grant = grants.get(code);
    grants.delete(code); // a code is single-use
    if (!grant || grant.expiresAt < Date.now() || grant.clientId !== params['client_id']) {
      return answer({
        error: 'bad_verification_code',
        error_description: 'The code passed is incorrect or expired.',
        error_uri: `${docs}/#bad-verification-code`,
      });
    }
    if (grant.redirectUri && params['redirect_uri'] && params['redirect_uri'] !== grant.redirectUri) {
      return answer({
        error: 'redirect_uri_mismatch',
        error_description: 'The redirect_uri MUST match the registered callback URL for this application.',
        error_uri: `${docs}/#redirect-uri-mismatch2`,
      });
    }
    const token = `gho_${crypto.randomBytes(18).toString('base64url')}`;
    tokens.set(token, { login: grant.login, scope: grant.scope });
    answer({ access_token: token, token_type: 'bearer', scope: grant.scope });
  }

  function withToken(req: http.IncomingMessage, res: http.ServerResponse, then: (t: { login: string; scope: string }, user: FakeGitHubUser) => void): void {
    const header = String(req.headers['authorization'] ?? '');
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(header);
    if (!m) return sendJson(res, 401, { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest', status: '401' });
    const t = tokens.get(m[1] ?? '');
    const user = t && users.get(t.login);
    if (!t || !user) return sendJson(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
    res.setHeader('x-oauth-scopes', t.scope.split(',').join(', '));
    then(t, user);
  }

  function userJson(u: FakeGitHubUser): Record<string, unknown> {
    const api = `${baseUrl}/api/v3/users/${u.login}`;
    const publicEmail = u.emails?.find((e) => e.primary && e.verified && (e.visibility ?? 'public') === 'public')?.email ?? null;
    return {
      login: u.login,
      id: u.id,
      user_view_type: 'private',
      node_id: Buffer.from(`04:User${u.id}`).toString('base64'),
      avatar_url: `${baseUrl}/avatars/u/${u.id}?v=4`,
      gravatar_id: '',
      url: api,
      html_url: `${baseUrl}/${u.login}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: 'User',
      site_admin: false,
      name: u.name,
      company: null,
      blog: '',
      location: null,
      email: publicEmail,
      hireable: null,
      bio: null,
      twitter_username: null,
      notification_email: publicEmail,
      public_repos: 2,
      public_gists: 0,
      followers: 1,
      following: 0,
      created_at: '2015-03-04T10:20:30Z',
      updated_at: '2026-01-02T08:09:10Z',
      private_gists: 0,
      total_private_repos: 0,
      owned_private_repos: 0,
      disk_usage: 120,
      collaborators: 0,
      two_factor_authentication: true,
      plan: { name: 'free', space: 976562499, collaborators: 0, private_repos: 10000 },
    };
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    clientId,
    clientSecret,
    tokenRequests,
    signInAs(login) {
      current = login;
    },
    addUser(user) {
      users.set(user.login, user);
    },
    setCallbackUrl(url) {
      callbackUrl = url;
    },
    async approve(authorizeUrl) {
      const res = await fetch(authorizeUrl, { redirect: 'manual' });
      const location = res.headers.get('location');
      if (res.status !== 302 || !location) throw new Error(`fake GitHub: authorize answered ${res.status}: ${await res.text()}`);
      return location;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function notFound(res: http.ServerResponse): void {
  sendJson(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
