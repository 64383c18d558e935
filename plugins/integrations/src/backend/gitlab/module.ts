import type { ConnectionTestResult, DiscoveryStatus } from '../../common/index.js';
import type { IntegrationModule, IntegrationModuleContext } from '../modules.js';
import type { StoredIntegration } from '../store.js';
import { registerGitLabActions } from './actions/index.js';
import { createGitLabClient, GitLabApiError } from './client.js';
import { checkCatalogPath, gitlabApiBaseUrl, readGitLabDiscoveryConfig, type GitLabDiscoveryConfig } from './config.js';
import { GitLabDiscovery, providerSlug, type GitLabTarget } from './discovery.js';
import { gitlabWebhookRoute, GitLabWebhooks, type GitLabRuntime } from './webhook.js';
import { publishPullRequestClosed } from '../pullRequestEvents.js';

const SERVICE_ACTOR = { type: 'service' as const, userEntityRef: 'plugin:integrations', ownershipEntityRefs: [], displayName: 'GitLab webhook' };

/** The credentials of a GitLab host from `integrations.gitlab[]`. */
export interface GitLabHost {
  host: string;
  apiBaseUrl: string;
  token: string;
}

export function gitlabHosts(config: IntegrationModuleContext['config']): GitLabHost[] {
  return (config.gitlab ?? []).filter((h) => h.token).map((h) => ({ host: h.host, apiBaseUrl: gitlabApiBaseUrl(h), token: h.token! }));
}

function checkApiBase(url: string, where: string): string {
  if (!/^https?:\/\/[^/]+(\/.*)?\/api\/v4$/.test(url)) throw new Error(`${where}: apiBaseUrl ${url} must be GitLab's REST root, ending in /api/v4`);
  return url;
}

/** Targets from `integrations.discovery.gitlab[]`, with their host's token. */
function configTargets(ctx: IntegrationModuleContext): GitLabTarget[] {
  const hosts = gitlabHosts(ctx.config);
  return readGitLabDiscoveryConfig((ctx.config.discovery as Record<string, unknown>)['gitlab']).map((t, i) => {
    const host = hosts.find((h) => h.host === t.host);
    if (!host) throw new Error(`integrations.discovery.gitlab[${i}]: no integrations.gitlab entry with a token for host ${t.host}`);
    return { ...t, id: t.id ?? `${t.host}/${t.group}`, apiBaseUrl: checkApiBase(host.apiBaseUrl, `integrations.gitlab (${t.host})`), token: host.token };
  });
}

/** A target for an admin-added GitLab integration with a group to discover. */
function storedTarget(i: StoredIntegration): GitLabTarget | undefined {
  const d = i.discovery;
  if (!d?.group) return undefined;
  const creds = i.credentials();
  if (!creds.token) return undefined;
  const base: GitLabDiscoveryConfig = readGitLabDiscoveryConfig([
    {
      host: i.host,
      group: d.group,
      ...(d.catalogPath ? { catalogPath: checkCatalogPath(d.catalogPath) } : {}),
      filters: {
        ...(d.filters?.topics ? { topics: d.filters.topics } : {}),
        ...(d.filters?.name ? { name: d.filters.name } : {}),
        ...(d.filters?.visibility ? { visibility: d.filters.visibility } : {}),
        includeArchived: d.filters?.includeArchived ?? false,
      },
      ...(d.intervalSeconds ? { schedule: { intervalSeconds: d.intervalSeconds } } : {}),
      syncOrg: d.syncOrg ?? false,
      ...(creds.webhookSecret ? { webhookSecret: creds.webhookSecret } : {}),
    },
  ])[0]!;
  return { ...base, id: `integration-${i.id}`, apiBaseUrl: checkApiBase(i.apiBaseUrl, `integration ${i.name}`), token: creds.token, integrationId: i.id };
}

/** Scopes discovery needs (either) and what publishing needs. */
const READ_SCOPES = ['read_api', 'api'];

export async function testGitLabConnection(apiBaseUrl: string, token: string): Promise<ConnectionTestResult> {
  const testedAt = new Date().toISOString();
  const client = createGitLabClient({ apiBaseUrl, token, maxRetryWaitSeconds: 0 });
  try {
    const user = (await client.api.Users.showCurrentUser()) as unknown as { username: string };
    let scopes: string[] | undefined;
    try {
      scopes = ((await client.api.PersonalAccessTokens.show()) as unknown as { scopes?: string[] }).scopes;
    } catch {
      scopes = undefined; // group/project tokens and OAuth tokens cannot read themselves
    }
    const missing = scopes && !scopes.some((s) => READ_SCOPES.includes(s)) ? ['read_api'] : [];
    const rateLimit = {
      limit: client.rate.limit,
      remaining: client.rate.remaining,
      resetAt: client.rate.resetAt ? new Date(client.rate.resetAt).toISOString() : null,
    };
    return {
      ok: missing.length === 0,
      testedAt,
      identity: user.username,
      ...(scopes ? { scopes, missingScopes: missing } : {}),
      message: missing.length ? `Signed in as ${user.username}, but the token lacks the read_api scope discovery needs` : `Signed in as ${user.username}`,
      rateLimit,
    };
  } catch (e) {
    const message =
      e instanceof GitLabApiError && e.status === 401 ? `GitLab refused the token (401: ${e.description}); it may be revoked or expired` : (e as Error).message;
    return { ok: false, testedAt, message };
  }
}

/**
 * GitLab: discovery of groups (and subgroups) into the catalog, group sync, the webhook, and the
 * scaffolder actions `publish:gitlab`, `publish:gitlab:merge-request`, `gitlab:pipeline:trigger`.
 */
export const gitlabModule: IntegrationModule = {
  kind: 'gitlab',
  routes: [gitlabWebhookRoute],
  async start(ctx) {
    const discoveries = new Map<string, GitLabDiscovery>();
    const add = async (target: GitLabTarget) => {
      const d = new GitLabDiscovery(target, { db: ctx.db, logger: ctx.logger, catalog: ctx.catalog });
      await d.connect();
      discoveries.set(target.id, d);
      ctx.scheduler.every(
        `integrations.gitlab.${providerSlug(target.id)}`,
        { intervalSeconds: target.schedule.intervalSeconds, runOnStart: true },
        async () => {
          await d.scan();
        },
      );
      return d;
    };
    for (const t of configTargets(ctx)) await add(t);
    for (const i of await ctx.store.list('gitlab')) {
      try {
        const t = storedTarget(i);
        if (t) await add(t);
      } catch (e) {
        ctx.logger.error({ err: e, integration: i.id }, `GitLab: integration ${i.name} cannot discover: ${(e as Error).message}`);
      }
    }

    // Delivery ids are kept a week: GitLab retries within hours, so older ones cannot come back as retries.
    ctx.scheduler.every('integrations.gitlab.prune-deliveries', { intervalSeconds: 3600 }, async () => {
      await ctx
        .db('webhook_deliveries')
        .where({ source: 'gitlab' })
        .andWhere('received_at', '<', new Date(Date.now() - 7 * 24 * 3600 * 1000))
        .delete();
    });

    const webhooks = new GitLabWebhooks({
      db: ctx.db,
      logger: ctx.logger,
      audit: ctx.audit,
      targets: () => [...discoveries.values()],
      actor: SERVICE_ACTOR,
      mergeRequestClosed: (event) => publishPullRequestClosed(ctx.events, event),
    });
    ctx.lifecycle.onShutdown(() => webhooks.idle());

    const scaffolder = (ctx as IntegrationModuleContext & { scaffolder?: Parameters<typeof registerGitLabActions>[0] }).scaffolder;
    if (scaffolder) registerGitLabActions(scaffolder, { hosts: () => gitlabHosts(ctx.config), logger: ctx.logger });

    const runtime: GitLabRuntime = {
      handleWebhook: (delivery) => webhooks.handle(delivery),
      idle: () => webhooks.idle(),
      async testConnection(integration) {
        const creds = integration.credentials();
        if (!creds.token) return { ok: false, testedAt: new Date().toISOString(), message: 'No token is set for this GitLab integration' };
        return testGitLabConnection(integration.apiBaseUrl, creds.token);
      },
      async discoveryStatus(integrationId): Promise<DiscoveryStatus[]> {
        const list = [...discoveries.values()].filter((d) => d.target.integrationId === integrationId);
        return Promise.all(list.map((d) => d.status()));
      },
      async integrationChanged(id, change) {
        const existing = [...discoveries.values()].find((d) => d.target.integrationId === id);
        if (change === 'created' && !existing) {
          const i = await ctx.store.get(id);
          const t = i ? storedTarget(i) : undefined;
          if (t) void (await add(t)).scan().catch(() => undefined);
        }
        if (change === 'deleted' && existing)
          ctx.logger.info({ integration: id }, 'GitLab: integration removed; its discovery stops after this process restarts');
      },
      async runNow(integrationId) {
        for (const d of discoveries.values()) if (d.target.integrationId === integrationId) await d.scan();
      },
    };
    return runtime;
  },
};
