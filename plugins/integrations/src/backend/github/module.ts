import { AuthenticationError, defineRoute, InputError, NotFoundError, type RouteDefinition } from '@atrium/backend-plugin-api';
import { verify } from '@octokit/webhooks-methods';
import type { ConnectionTestResult, DiscoveryStatus } from '../../common/index.js';
import { githubApiBaseUrl, type GitHubDiscoveryConfig, type IntegrationsConfig } from '../config.js';
import type { IntegrationModule, IntegrationModuleContext, IntegrationModuleRuntime, IntegrationRouteServices } from '../modules.js';
import { INTEGRATION_PERMISSIONS } from '../permissions.js';
import type { StoredIntegration } from '../store.js';
import { githubHosts, registerGitHubActions } from './actions/index.js';
import { createGitHubClient, missingScopes, rateLimitOf, type GitHubAuth } from './client.js';
import { describeError, GitHubDiscovery, type DiscoveryTarget } from './discovery.js';
import { githubPullRequestClosed, publishPullRequestClosed } from '../pullRequestEvents.js';

const NEEDED_SCOPES = ['repo', 'read:org'];

/** The started module: what the GitHub routes use (from `services.modules`). */
interface GitHubRuntime extends IntegrationModuleRuntime {
  ctx: IntegrationModuleContext;
  discovery: GitHubDiscovery;
}
const started = (services: IntegrationRouteServices): GitHubRuntime => {
  const runtime = services.modules.get('github') as GitHubRuntime | undefined;
  if (!runtime?.discovery) throw new NotFoundError('GitHub integrations are not running');
  return runtime;
};

/** Credentials for a config discovery target: the matching `integrations.github[]` entry. */
function configAuth(config: IntegrationsConfig, host: string): GitHubAuth | undefined {
  const entry = config.github.find((g) => g.host === host);
  if (!entry) return undefined;
  if (entry.token) return { token: entry.token };
  const app = entry.apps?.[0];
  if (app) return { appId: app.appId, privateKey: app.privateKey, ...(app.installationId ? { installationId: app.installationId } : {}) };
  return undefined;
}

function configTarget(config: IntegrationsConfig, d: GitHubDiscoveryConfig): DiscoveryTarget {
  const auth = configAuth(config, d.host);
  if (!auth) throw new Error(`integrations.discovery.github: no integrations.github entry with a token or app for host ${d.host}`);
  const entry = config.github.find((g) => g.host === d.host)!;
  return {
    id: d.id ?? `config:${d.host}/${d.org ?? d.user}`,
    host: d.host,
    baseUrl: githubApiBaseUrl(entry),
    auth,
    ...(d.org ? { org: d.org } : {}),
    ...(d.user ? { user: d.user } : {}),
    catalogPath: d.catalogPath,
    filters: d.filters,
    intervalSeconds: d.schedule.intervalSeconds,
    generateComponents: d.generateComponents,
    syncOrg: d.syncOrg,
  };
}

function apiTarget(i: StoredIntegration, guard: (url: string) => Promise<void>): DiscoveryTarget | undefined {
  const d = i.discovery;
  if (!d || (!d.org && !d.user)) return undefined;
  const creds = i.credentials();
  const auth: GitHubAuth = creds.token
    ? { token: creds.token }
    : { appId: creds.appId!, privateKey: creds.privateKey!, ...(creds.installationId ? { installationId: creds.installationId } : {}) };
  return {
    id: `api:${i.id}`,
    integrationId: i.id,
    host: i.host,
    baseUrl: i.apiBaseUrl,
    auth,
    ...(d.org ? { org: d.org } : {}),
    ...(d.user ? { user: d.user } : {}),
    catalogPath: d.catalogPath ?? '/catalog-info.yaml',
    filters: d.filters ?? {},
    intervalSeconds: d.intervalSeconds ?? 300,
    generateComponents: d.generateComponents ?? false,
    syncOrg: d.syncOrg ?? false,
    guard,
  };
}

/** Every webhook secret configured or stored for GitHub. */
async function webhookSecrets(ctx: IntegrationModuleContext): Promise<string[]> {
  const secrets = ctx.config.github.flatMap((g) => [
    ...(g.webhookSecret ? [g.webhookSecret] : []),
    ...(g.apps ?? []).flatMap((a) => (a.webhookSecret ? [a.webhookSecret] : [])),
  ]);
  for (const i of await ctx.store.list('github')) {
    try {
      const s = i.credentials().webhookSecret;
      if (s) secrets.push(s);
    } catch {
      // undecryptable credentials: that integration's deliveries cannot be verified
    }
  }
  return secrets;
}

async function testConnection(ctx: IntegrationModuleContext, i: StoredIntegration): Promise<ConnectionTestResult> {
  const testedAt = new Date().toISOString();
  const creds = i.credentials();
  try {
    await ctx.assertOutbound(i.apiBaseUrl);
  } catch (e) {
    return { ok: false, testedAt, message: (e as Error).message };
  }
  const client = createGitHubClient({
    baseUrl: i.apiBaseUrl,
    auth: creds.token ? { token: creds.token } : { appId: creds.appId!, privateKey: creds.privateKey! },
  });
  try {
    if (creds.token) {
      const res = await client.octokit.rest.users.getAuthenticated();
      const header = res.headers['x-oauth-scopes'];
      // Fine-grained tokens and app tokens send no x-oauth-scopes: their permissions are per repository.
      const scopes =
        typeof header === 'string'
          ? header
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : undefined;
      const missing = scopes ? missingScopes(scopes, NEEDED_SCOPES) : [];
      return {
        ok: missing.length === 0,
        testedAt,
        identity: res.data.login,
        ...(scopes ? { scopes } : {}),
        missingScopes: missing,
        message: missing.length
          ? `Connected as ${res.data.login}, but the token lacks the ${missing.map((s) => `"${s}"`).join(' and ')} scope${missing.length > 1 ? 's' : ''} (needed: ${NEEDED_SCOPES.join(', ')})`
          : `Connected as ${res.data.login}`,
        rateLimit: client.rate,
      };
    }
    const res = await client.octokit.rest.apps.getAuthenticated();
    const slug = (res.data as { slug?: string } | null)?.slug ?? String(creds.appId);
    return { ok: true, testedAt, identity: slug, message: `Connected as the GitHub App ${slug}`, rateLimit: client.rate };
  } catch (e) {
    const limited = rateLimitOf(e);
    if (limited) return { ok: false, testedAt, message: limited.reason, rateLimit: client.rate };
    return { ok: false, testedAt, message: describeError(e), rateLimit: client.rate };
  }
}

const headerOf = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** POST /github/webhook: GitHub's deliveries, authenticated by their X-Hub-Signature-256. */
export const githubWebhookRoute = defineRoute<IntegrationRouteServices, Record<string, string>, Record<string, never>, Record<string, unknown>>({
  method: 'post',
  path: '/github/webhook',
  body: { type: 'object' },
  permission: {
    public: true,
    reason: 'GitHub calls it; authenticated by the X-Hub-Signature-256 HMAC of the body with the webhook secret (401 when missing or wrong)',
  },
  summary: 'GitHub webhook deliveries (push, repository, membership, team, organization, pull_request)',
  response: { status: 202, description: 'Accepted (handled, ignored as a replay, or an event discovery does not use)' },
  responses: { '401': { description: 'Missing or bad signature: nothing is done' } },
  handler: async ({ req, res, body }, services) => {
    const { logger } = services;
    const { ctx, discovery } = started(services);
    const signature = headerOf(req.headers['x-hub-signature-256']);
    const event = headerOf(req.headers['x-github-event']) ?? 'unknown';
    const delivery = headerOf(req.headers['x-github-delivery']);
    const raw = (req as { rawBody?: Buffer }).rawBody;
    if (!signature || !raw) {
      logger.warn({ event, delivery }, 'github webhook refused: no X-Hub-Signature-256');
      throw new AuthenticationError('Missing X-Hub-Signature-256: configure the webhook with a secret');
    }
    const payload = raw.toString('utf8');
    let ok = false;
    for (const secret of await webhookSecrets(ctx)) {
      if (await verify(secret, payload, signature).catch(() => false)) {
        ok = true;
        break;
      }
    }
    if (!ok) {
      logger.warn({ event, delivery }, 'github webhook refused: the signature does not match any configured webhook secret');
      throw new AuthenticationError('Bad X-Hub-Signature-256: the signature does not match the webhook secret');
    }
    if (!delivery || !/^[A-Za-z0-9-]{1,100}$/.test(delivery)) throw new InputError('Missing or malformed X-GitHub-Delivery');
    const inserted = await ctx
      .db('webhook_deliveries')
      .insert({ source: 'github', delivery_id: delivery, event, received_at: new Date() })
      .onConflict(['source', 'delivery_id'])
      .ignore()
      .returning('delivery_id');
    if (inserted.length === 0) {
      logger.info({ event, delivery }, 'github webhook: replayed delivery ignored');
      res.status(202);
      return { status: 'ignored', reason: 'replayed delivery' };
    }
    let outcome: string;
    try {
      if (event === 'pull_request') {
        // A closed pull request ends the scaffolder steps waiting on it (through the events service).
        const closed = githubPullRequestClosed(body, delivery);
        if (closed) await publishPullRequestClosed(ctx.events, closed);
        outcome = closed ? 'published' : 'ignored';
      } else outcome = await handleEvent(discovery, event, body, logger);
    } catch (e) {
      // Not handled: forget the id, so GitHub's redelivery of it is not taken for a replay.
      await ctx.db('webhook_deliveries').where({ source: 'github', delivery_id: delivery }).delete();
      throw e;
    }
    res.status(202);
    return { status: outcome };
  },
});

async function handleEvent(
  discovery: GitHubDiscovery,
  event: string,
  body: Record<string, unknown>,
  logger: IntegrationRouteServices['logger'],
): Promise<string> {
  const repo = body['repository'] as Record<string, unknown> | undefined;
  const org = (body['organization'] as { login?: string } | undefined)?.login;
  const owner = (repo?.['owner'] as { login?: string } | undefined)?.login ?? org;
  const targets = owner ? discovery.targetsFor(owner) : [];
  if (targets.length === 0 && ['push', 'repository', 'membership', 'team', 'organization'].includes(event)) {
    logger.info({ event, owner }, 'github webhook: no discovery target for this owner');
    return 'ignored';
  }
  switch (event) {
    case 'push': {
      const branch = String(body['ref'] ?? '').replace(/^refs\/heads\//, '');
      if (!repo || branch !== String(repo['default_branch'] ?? repo['master_branch'] ?? '')) return 'ignored';
      for (const t of targets) await discovery.refreshRepository(t.id, repo);
      return 'refreshed';
    }
    case 'repository': {
      const action = String(body['action'] ?? '');
      if (!repo) return 'ignored';
      if (action === 'deleted' || action === 'transferred') {
        for (const t of targets) await discovery.removeRepository(t.id, Number(repo['id']));
        return 'removed';
      }
      if (['created', 'renamed', 'archived', 'unarchived', 'publicized', 'privatized', 'edited'].includes(action)) {
        for (const t of targets) await discovery.refreshRepository(t.id, repo);
        return 'refreshed';
      }
      return 'ignored';
    }
    case 'membership':
    case 'team':
    case 'organization': {
      const sync = targets.filter((t) => t.syncOrg && t.org);
      for (const t of sync) await discovery.syncOrg(t);
      return sync.length ? 'synced' : 'ignored';
    }
    case 'ping':
      return 'pong';
    default:
      logger.info({ event }, `github webhook: event "${event}" is not used; ignored`);
      return 'ignored';
  }
}

/** GET /github/preview/:targetId : the Components discovery would generate (generateComponents off or on). */
export const githubPreviewRoute = defineRoute<IntegrationRouteServices, { id: string }>({
  method: 'get',
  path: '/integrations/:id/preview',
  params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
  permission: { name: INTEGRATION_PERMISSIONS.preview, resourceRef: ({ params }) => `integration:${params.id}` },
  summary: 'Preview the Components that would be generated for repositories without a catalog-info.yaml (at most 50)',
  response: { description: 'Generated entities (not stored)', schema: { type: 'object', properties: { items: { type: 'array', items: { type: 'object' } } } } },
  responses: { '404': { description: 'No such integration or it has no discovery' } },
  handler: async ({ params }, services) => {
    const { discovery } = started(services);
    const target = discovery.targets.get(`api:${params.id}`);
    if (!target) throw new NotFoundError(`Integration ${params.id} has no GitHub discovery`);
    return { items: (await discovery.preview(target.id)).map((d) => d.entity) };
  },
});

/** GitHub: discovery of an org's or user's repositories, org sync, webhooks, connection tests, and the scaffolder's GitHub actions. */
export const githubModule: IntegrationModule = {
  kind: 'github',
  routes: [githubWebhookRoute, githubPreviewRoute] as RouteDefinition<IntegrationRouteServices>[],
  async start(ctx) {
    const discovery = new GitHubDiscovery(ctx.db, ctx.catalog, ctx.logger);
    ctx.lifecycle.onShutdown(() => discovery.stop());
    // One job for every target (config and API, including those added later): each tick runs
    // the targets that are due, on one replica.
    const configTargets = ctx.config.discovery.github.map((d) => configTarget(ctx.config, d));
    const tickSeconds = Math.max(1, Math.min(60, ...configTargets.map((t) => t.intervalSeconds)));
    ctx.scheduler.every('integrations.github.discovery', { intervalSeconds: tickSeconds, runOnStart: true }, async () => {
      await discovery.runDue();
    });
    for (const target of configTargets) await discovery.addTarget(target);
    for (const i of await ctx.store.list('github')) {
      try {
        const target = apiTarget(i, ctx.assertOutbound);
        if (target) await discovery.addTarget(target);
      } catch (e) {
        ctx.logger.warn({ integration: i.id }, `github integration ${i.name} not started: ${(e as Error).message}`);
      }
    }
    // Backstage's GitHub actions (publish:github, ...) replace the scaffolder's placeholders when it is installed.
    if (ctx.scaffolder)
      registerGitHubActions(ctx.scaffolder, { hosts: () => githubHosts(ctx.config, ctx.store), assertOutbound: ctx.assertOutbound, logger: ctx.logger });
    const statusOf = async (integrationId?: string): Promise<DiscoveryStatus[]> =>
      discovery.status([...discovery.targets.values()].filter((t) => (integrationId ? t.integrationId === integrationId : true)).map((t) => t.id));
    const runtime: GitHubRuntime = {
      ctx,
      discovery,
      testConnection: (i) => testConnection(ctx, i),
      discoveryStatus: statusOf,
      async integrationChanged(id, change) {
        if (change === 'deleted') {
          await discovery.removeTarget(`api:${id}`);
          return;
        }
        const i = await ctx.store.get(id);
        const target = i && apiTarget(i, ctx.assertOutbound);
        if (!target) return;
        await discovery.addTarget(target);
        void discovery.scan(target.id).catch((e: unknown) => ctx.logger.warn({ err: e, target: target.id }, 'github discovery failed'));
      },
      async runNow(id) {
        await discovery.scan(`api:${id}`);
      },
      targetIds: () => [...discovery.targets.keys()],
      runTarget: (targetId) => discovery.scan(targetId),
    };
    return runtime;
  },
};
