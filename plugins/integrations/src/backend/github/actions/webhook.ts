import { apiMessage, connect, parseRepoUrl, repoUrlSchema, tokenSchema, warnUnknownInputs, type GitHubAction, type GitHubActionSettings } from './common.js';

interface WebhookInput {
  repoUrl: string;
  webhookUrl: string;
  webhookSecret?: string;
  events?: string[];
  active?: boolean;
  contentType?: 'form' | 'json';
  insecureSsl?: boolean;
  token?: string;
}

/**
 * `github:webhook`: adds a webhook to a repository. The webhook URL goes through the shared SSRF
 * guard first: GitHub (an Enterprise Server inside the network, above all) would call it, so an
 * address on a private network is refused unless the operator allows private networks.
 */
export function webhookAction(settings: GitHubActionSettings): GitHubAction<WebhookInput> {
  const action: GitHubAction<WebhookInput> = {
    id: 'github:webhook',
    description: 'Adds a webhook to a GitHub repository (Backstage’s inputs); the webhook URL must pass the outbound (SSRF) policy.',
    schema: {
      input: {
        type: 'object',
        required: ['repoUrl', 'webhookUrl'],
        properties: {
          repoUrl: repoUrlSchema,
          webhookUrl: { type: 'string', minLength: 1, maxLength: 2000, pattern: '^https?://' },
          webhookSecret: { type: 'string', minLength: 1, maxLength: 1000 },
          events: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', pattern: '^(\\*|[a-z_]{1,100})$' } },
          active: { type: 'boolean' },
          contentType: { enum: ['form', 'json'] },
          insecureSsl: { type: 'boolean' },
          token: tokenSchema,
        },
      },
    },
    async handler(ctx) {
      warnUnknownInputs(ctx, action);
      const { input } = ctx;
      const target = parseRepoUrl(input.repoUrl);
      try {
        await settings.assertOutbound(input.webhookUrl);
      } catch (e) {
        throw new Error(`webhookUrl refused: ${(e as Error).message}`);
      }
      const conn = await connect(settings, target, input.token);
      let hook: { id: number };
      try {
        hook = (
          await conn.octokit.rest.repos.createWebhook({
            owner: target.owner,
            repo: target.repo,
            name: 'web',
            active: input.active ?? true,
            events: input.events ?? ['push'],
            config: {
              url: input.webhookUrl,
              content_type: input.contentType ?? 'form',
              insecure_ssl: input.insecureSsl ? '1' : '0',
              ...(input.webhookSecret ? { secret: input.webhookSecret } : {}),
            },
          })
        ).data;
      } catch (e) {
        throw new Error(`${action.id}: adding the webhook to ${target.owner}/${target.repo} failed: ${apiMessage(e)}`);
      }
      ctx.logger.info(`Added webhook ${hook.id} to ${target.owner}/${target.repo} (events: ${(input.events ?? ['push']).join(', ')})`);
    },
  };
  return action;
}
