import type { Logger } from '@atrium/backend-plugin-api';
import type { ScaffolderActionsService, TemplateAction } from '@atrium/plugin-scaffolder/backend';
import type { GitHubActionSettings } from './common.js';
import { pullRequestAction } from './pullRequest.js';
import { publishGitHubAction, repoCreateAction, repoPushAction } from './repo.js';
import { webhookAction } from './webhook.js';
import { dispatchAction } from './workflow.js';

export { githubHosts, parseRepoUrl, type GitHubActionSettings, type GitHubHost } from './common.js';

/** Backstage's GitHub actions, on the configured (and admin-added) GitHub integrations. */
export function githubActions(settings: GitHubActionSettings): TemplateAction[] {
  return [
    publishGitHubAction(settings),
    pullRequestAction(settings),
    repoCreateAction(settings),
    repoPushAction(settings),
    dispatchAction(settings),
    webhookAction(settings),
  ] as unknown as TemplateAction[];
}

/**
 * Registers the actions with the scaffolder, in place of its "needs an integration" placeholders
 * for the same ids. An id another plugin already took is refused by the registry: that is logged,
 * and the other actions still register.
 */
export function registerGitHubActions(
  scaffolder: Pick<ScaffolderActionsService, 'registerAction'>,
  options: GitHubActionSettings & { logger: Logger },
): string[] {
  const registered: string[] = [];
  for (const action of githubActions(options)) {
    try {
      scaffolder.registerAction(action);
      registered.push(action.id);
    } catch (e) {
      options.logger.warn({ action: action.id }, `GitHub: scaffolder action ${action.id} not registered: ${(e as Error).message}`);
    }
  }
  return registered;
}
