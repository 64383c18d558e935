import { createTemplateAction, type AnyTemplateAction } from './types.js';

/**
 * Backstage action ids that need a SaaS integration Atrium does not have. They are known, so
 * templates validate and dry runs skip them, and a real run fails with a clear message.
 */
export const SAAS_ACTION_IDS = [
  'publish:github',
  'publish:github:pull-request',
  'github:repo:create',
  'github:repo:push',
  'github:actions:dispatch',
  'github:webhook',
  'github:issues:create',
  'github:issues:label',
  'github:environment:create',
  'github:deployKey:create',
  'github:branch-protection:create',
  'github:autolinks:create',
  'github:pages:enable',
  'publish:gitlab',
  'publish:gitlab:merge-request',
  'gitlab:repo:push',
  'gitlab:projectAccessToken:create',
  'gitlab:group:ensureExists',
  'publish:bitbucket',
  'publish:bitbucketCloud',
  'publish:bitbucketServer',
  'publish:bitbucketServer:pull-request',
  'publish:azure',
  'publish:gerrit',
  'publish:gerrit:review',
  'publish:gitea',
];

function hostOf(id: string): string {
  const name = id.replace(/^publish:/, '').split(':')[0] ?? id;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export const saasActions: AnyTemplateAction[] = SAAS_ACTION_IDS.map((id) =>
  createTemplateAction({
    id,
    description: `Backstage's ${id}. Not configured in Atrium (no ${hostOf(id)} integration): skipped in dry runs, fails in real runs. Use publish:git with a remote URL instead.`,
    schema: { input: { type: 'object' } },
    async handler() {
      throw new Error(
        `${id} is not configured: Atrium has no ${hostOf(id)} integration set up. Use publish:git with the repository's git remote URL (repoUrl), or install a plugin that registers ${id}.`,
      );
    },
  }),
);
