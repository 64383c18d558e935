import {
  apiMessage,
  branchSchema,
  checkRef,
  connect,
  parseRepoUrl,
  repoUrlSchema,
  statusOf,
  tokenSchema,
  warnUnknownInputs,
  type GitHubAction,
  type GitHubActionSettings,
} from './common.js';

interface DispatchInput {
  repoUrl: string;
  workflowId: string;
  branchOrTagName: string;
  workflowInputs?: Record<string, string | number | boolean>;
  token?: string;
}

/** `github:actions:dispatch`: runs a workflow that has a `workflow_dispatch` trigger, on a branch or tag, with inputs. */
export function dispatchAction(settings: GitHubActionSettings): GitHubAction<DispatchInput> {
  const action: GitHubAction<DispatchInput> = {
    id: 'github:actions:dispatch',
    description: 'Runs a GitHub Actions workflow (workflow_dispatch) on a branch or tag with inputs (Backstage’s inputs).',
    schema: {
      input: {
        type: 'object',
        required: ['repoUrl', 'workflowId', 'branchOrTagName'],
        properties: {
          repoUrl: repoUrlSchema,
          workflowId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$', description: 'The workflow file name (ci.yml) or its numeric id' },
          branchOrTagName: branchSchema,
          workflowInputs: {
            type: 'object',
            maxProperties: 25,
            propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_-]{0,99}$' },
            additionalProperties: { type: ['string', 'number', 'boolean'] },
          },
          token: tokenSchema,
        },
      },
    },
    async handler(ctx) {
      warnUnknownInputs(ctx, action);
      const { input } = ctx;
      const target = parseRepoUrl(input.repoUrl);
      checkRef(input.branchOrTagName, 'branchOrTagName');
      const conn = await connect(settings, target, input.token);
      try {
        await conn.octokit.rest.actions.createWorkflowDispatch({
          owner: target.owner,
          repo: target.repo,
          workflow_id: /^\d+$/.test(input.workflowId) ? Number(input.workflowId) : input.workflowId,
          ref: input.branchOrTagName,
          ...(input.workflowInputs ? { inputs: input.workflowInputs } : {}),
        });
      } catch (e) {
        if (statusOf(e) === 404)
          throw new Error(
            `${action.id}: workflowId ${input.workflowId} is not a workflow of ${target.owner}/${target.repo} on ${target.host} (${apiMessage(e)})`,
          );
        throw new Error(`${action.id}: dispatching ${input.workflowId} on branchOrTagName ${input.branchOrTagName} failed: ${apiMessage(e)}`);
      }
      ctx.logger.info(`Dispatched ${input.workflowId} on ${input.branchOrTagName} of ${target.owner}/${target.repo}`);
    },
  };
  return action;
}
