import type { Request } from 'express';
import { exchangeWebFlowCode } from '@octokit/oauth-methods';
import { Octokit } from '@octokit/rest';
import { AuthenticationError, type JsonSchema } from '@atrium/backend-plugin-api';
import type { SignInProfile, SignInProviderContext, SignInProviderFactory, SignInProviderHandler } from './types.js';

/**
 * GitHub sign-in: GitHub's OAuth web flow for OAuth apps (authorize → code → access token), then
 * `GET /user` and `GET /user/emails` with the token. Works against github.com and a GitHub
 * Enterprise Server (`enterpriseInstanceUrl`). GitHub's maintained clients make the calls:
 * `exchangeWebFlowCode` (`@octokit/oauth-methods`) for the code → token exchange, `Octokit`
 * (`@octokit/rest`) for the REST API; both get the GitHub's base URL from config.
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
        const octokit = client(accessToken);
        const user = await getUser(octokit);
        const emails = await userEmails(octokit);
        return toProfile(user, emails);
      },
    };

    /**
     * An Octokit for this GitHub (`baseUrl` = its REST API), with a timeout and no redirects
     * followed. Without a token it only carries the base URL the OAuth calls derive theirs from.
     */
    function client(token?: string): Octokit {
      return new Octokit({
        baseUrl: apiUrl,
        userAgent: USER_AGENT,
        ...(token ? { auth: token } : {}),
        request: { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), redirect: 'error' },
      });
    }

    /** The OAuth web flow's code → token exchange (`@octokit/oauth-methods`, at `<webUrl>/login/oauth/access_token`). */
    async function exchangeCode(code: string): Promise<string> {
      try {
        const { authentication } = await exchangeWebFlowCode({
          clientType: 'oauth-app',
          clientId: settings.clientId,
          clientSecret: settings.clientSecret,
          code,
          redirectUrl: ctx.callbackUrl,
          request: client().request,
        });
        if (!authentication.token) throw new AuthenticationError(`${where}: the token answer has no access_token`);
        return authentication.token;
      } catch (e) {
        if (e instanceof AuthenticationError) throw e;
        // GitHub answers token errors with 200 and an `error` field (bad_verification_code,
        // incorrect_client_credentials, …); oauth-methods turns them into a RequestError carrying that answer.
        const body = responseData(e);
        if (typeof body?.['error'] === 'string') {
          throw new AuthenticationError(`${where}: the token exchange was refused: ${body['error']}${describe(body['error_description'])}`);
        }
        throw requestFailure(e, `${webUrl}/login/oauth/access_token`, 'the token exchange failed');
      }
    }

    async function getUser(octokit: Octokit): Promise<GitHubUser> {
      try {
        return (await octokit.rest.users.getAuthenticated({ headers: API_VERSION })).data as GitHubUser;
      } catch (e) {
        throw requestFailure(e, `${apiUrl}/user`, 'GET /user failed');
      }
    }

    /** The emails, or [] when the token may not read them (no `user:email` grant: 404/403). */
    async function userEmails(octokit: Octokit): Promise<GitHubEmail[]> {
      try {
        const { data } = await octokit.rest.users.listEmailsForAuthenticatedUser({ per_page: 100, headers: API_VERSION });
        return Array.isArray(data) ? data : [];
      } catch (e) {
        const status = statusOf(e);
        if (status === 404 || status === 403) {
          ctx.logger.warn(`${where}: GET /user/emails answered ${status}; signing in without an email (was the user:email scope granted?)`);
          return [];
        }
        throw requestFailure(e, `${apiUrl}/user/emails`, 'GET /user/emails failed');
      }
    }

    /** A failed Octokit call as a 401 saying what GitHub answered, or that it could not be reached. */
    function requestFailure(e: unknown, url: string, what: string): AuthenticationError {
      const status = statusOf(e);
      if (status === undefined || !requestErrorOf(e)?.response) {
        return new AuthenticationError(`${where}: cannot reach ${new URL(url).origin}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const message = responseData(e)?.['message'];
      return new AuthenticationError(`${where}: ${what}: HTTP ${status}${describe(message)}`);
    }
  },
};

const USER_AGENT = 'atrium-sign-in';
/** The REST API version the response shapes are read as. */
const API_VERSION = { 'x-github-api-version': '2022-11-28' };

/**
 * Octokit's RequestError (`@octokit/request-error`, not a direct dependency): an HTTP status and,
 * when GitHub answered, its response. A network failure or timeout has status 500 and no response.
 */
interface OctokitRequestError {
  status: number;
  response?: { data?: unknown };
}

function requestErrorOf(e: unknown): OctokitRequestError | undefined {
  return e instanceof Error && e.name === 'HttpError' && typeof (e as Partial<OctokitRequestError>).status === 'number'
    ? (e as unknown as OctokitRequestError)
    : undefined;
}

function statusOf(e: unknown): number | undefined {
  return requestErrorOf(e)?.status;
}

function responseData(e: unknown): Record<string, unknown> | undefined {
  const data = requestErrorOf(e)?.response?.data;
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : undefined;
}

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

function queryValue(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function describe(text: unknown): string {
  return typeof text === 'string' && text ? ` (${text})` : '';
}
