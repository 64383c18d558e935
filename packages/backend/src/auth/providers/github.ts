import type { Request } from 'express';
import { AuthenticationError, type JsonSchema } from '@atrium/backend-plugin-api';
import type { SignInProfile, SignInProviderContext, SignInProviderFactory, SignInProviderHandler } from './types.js';

/**
 * GitHub sign-in: GitHub's OAuth web flow for OAuth apps (authorize → code → access token), then
 * `GET /user` and `GET /user/emails` with the token. Works against github.com and a GitHub
 * Enterprise Server (`enterpriseInstanceUrl`). The REST calls use fetch: no GitHub client
 * package is installed (only `@octokit/openapi`, for the tests' schema checks).
 */

/** Backstage's keys for `auth.providers.github.<environment>`. */
export const githubConfigSchema: JsonSchema = {
  type: 'object',
  required: ['clientId', 'clientSecret'],
  properties: {
    clientId: { type: 'string', minLength: 1 },
    clientSecret: { type: 'string', minLength: 1 },
    callbackUrl: { type: 'string', format: 'uri' },
    /** A GitHub Enterprise Server, e.g. `https://ghe.example.com` (its API is `<url>/api/v3`). */
    enterpriseInstanceUrl: { type: 'string', format: 'uri' },
    /** Scopes asked for besides `read:user user:email`. */
    additionalScopes: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    type: { type: 'string' },
  },
  additionalProperties: false,
};

const BASE_SCOPES = ['read:user', 'user:email'];
const REQUEST_TIMEOUT_MS = 10_000;

interface GitHubSettings {
  clientId: string;
  clientSecret: string;
  enterpriseInstanceUrl?: string;
  additionalScopes?: string | string[];
}

/** The web base (authorize and token endpoints) and REST API base for a config. */
export function githubEndpoints(enterpriseInstanceUrl?: string): { webUrl: string; apiUrl: string } {
  if (!enterpriseInstanceUrl) return { webUrl: 'https://github.com', apiUrl: 'https://api.github.com' };
  const webUrl = enterpriseInstanceUrl.replace(/\/+$/, '');
  return { webUrl, apiUrl: `${webUrl}/api/v3` };
}

export const githubProviderFactory: SignInProviderFactory = {
  title: 'GitHub',
  configSchema: githubConfigSchema,
  // A GitHub login names the person; an email may be missing (no verified primary, or not granted).
  defaultResolvers: [{ resolver: 'usernameMatchingUserEntityName' }],
  async create(ctx: SignInProviderContext): Promise<SignInProviderHandler> {
    const settings = ctx.config as unknown as GitHubSettings;
    const { webUrl, apiUrl } = githubEndpoints(settings.enterpriseInstanceUrl);
    const extra = typeof settings.additionalScopes === 'string' ? settings.additionalScopes.split(/[\s,]+/) : (settings.additionalScopes ?? []);
    const scope = [...new Set([...BASE_SCOPES, ...extra.filter(Boolean)])].join(' ');
    const where = `GitHub sign-in (${ctx.configPath})`;

    return {
      async start({ state }) {
        const url = new URL(`${webUrl}/login/oauth/authorize`);
        url.searchParams.set('client_id', settings.clientId);
        url.searchParams.set('redirect_uri', ctx.callbackUrl);
        url.searchParams.set('scope', scope);
        url.searchParams.set('state', state);
        url.searchParams.set('allow_signup', 'false');
        return { redirectUrl: url.toString() };
      },

      async handleCallback({ req }) {
        const code = queryValue(req, 'code');
        const error = queryValue(req, 'error');
        if (error) {
          // e.g. access_denied when the person clicks "Cancel" on GitHub's consent page.
          throw new AuthenticationError(`${where}: GitHub answered ${error}${describe(queryValue(req, 'error_description'))}`);
        }
        if (!code) throw new AuthenticationError(`${where}: the callback has no code`);
        const accessToken = await exchangeCode(code);
        const user = await api<GitHubUser>(accessToken, '/user');
        const emails = await userEmails(accessToken);
        return toProfile(user, emails);
      },
    };

    async function exchangeCode(code: string): Promise<string> {
      const res = await call(`${webUrl}/login/oauth/access_token`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: settings.clientId, client_secret: settings.clientSecret, code, redirect_uri: ctx.callbackUrl }).toString(),
      });
      const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
      if (!res.ok || !body) throw new AuthenticationError(`${where}: the token exchange failed (HTTP ${res.status})`);
      // GitHub answers token errors with 200 and an `error` field (bad_verification_code, incorrect_client_credentials, …).
      if (typeof body['error'] === 'string') {
        throw new AuthenticationError(`${where}: the token exchange was refused: ${body['error']}${describe(body['error_description'])}`);
      }
      if (typeof body['access_token'] !== 'string') throw new AuthenticationError(`${where}: the token answer has no access_token`);
      return body['access_token'];
    }

    async function api<T>(token: string, path: string): Promise<T> {
      const res = await call(`${apiUrl}${path}`, { headers: apiHeaders(token) });
      if (!res.ok) throw new AuthenticationError(`${where}: GET ${path} answered HTTP ${res.status}${describe(await errorMessage(res))}`);
      return (await res.json()) as T;
    }

    /** The emails, or [] when the token may not read them (no `user:email` grant: 404/403). */
    async function userEmails(token: string): Promise<GitHubEmail[]> {
      const res = await call(`${apiUrl}/user/emails`, { headers: apiHeaders(token) });
      if (res.status === 404 || res.status === 403) {
        ctx.logger.warn(`${where}: GET /user/emails answered ${res.status}; signing in without an email (was the user:email scope granted?)`);
        return [];
      }
      if (!res.ok) throw new AuthenticationError(`${where}: GET /user/emails answered HTTP ${res.status}${describe(await errorMessage(res))}`);
      const body = (await res.json()) as unknown;
      return Array.isArray(body) ? (body as GitHubEmail[]) : [];
    }

    async function call(url: string, init: RequestInit): Promise<Response> {
      try {
        return await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      } catch (e) {
        throw new AuthenticationError(`${where}: cannot reach ${new URL(url).origin}: ${(e as Error).message}`);
      }
    }
  },
};

interface GitHubUser {
  id: number;
  login: string;
  name?: string | null;
  avatar_url?: string;
  html_url?: string;
  [key: string]: unknown;
}

interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
  visibility?: string | null;
}

/** subject = id, username = login, email = the verified primary address (never an unverified one). */
export function toProfile(user: GitHubUser, emails: GitHubEmail[]): SignInProfile {
  const primary = emails.find((e) => e.primary && e.verified);
  return {
    subject: String(user.id),
    username: user.login,
    ...(primary ? { email: primary.email, emailVerified: true } : {}),
    ...(user.name ? { displayName: user.name } : {}),
    ...(user.avatar_url ? { picture: user.avatar_url } : {}),
    claims: { ...user, emails },
  };
}

function apiHeaders(token: string): Record<string, string> {
  return {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${token}`,
    'x-github-api-version': '2022-11-28',
    'user-agent': 'atrium-sign-in',
  };
}

function queryValue(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function describe(text: unknown): string {
  return typeof text === 'string' && text ? ` (${text})` : '';
}

async function errorMessage(res: Response): Promise<string | undefined> {
  const body = (await res.json().catch(() => undefined)) as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : undefined;
}
