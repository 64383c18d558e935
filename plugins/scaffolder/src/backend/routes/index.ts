import type { RouteDefinition } from '@atrium/backend-plugin-api';
import { listActions, listTemplatingExtensions } from './actions.js';
import { decideApproval } from './approvals.js';
import { dryRun } from './dryRun.js';
import { listEntityActions } from './entityActions.js';
import type { ScaffolderRouteServices } from './services.js';
import { listTaskEvents, taskEventStream } from './taskEvents.js';
import { cancelTask, createTask, getTask, listTasks, retryTask } from './tasks.js';
import { getParameterSchema } from './templates.js';
import { callbackRoute, decideStepApproval, resumeTask, retryStep, skipStep } from './steps.js';

export type { ScaffolderRouteServices };

/** Every scaffolder route, in mount order: the plugin definition lists them (OpenAPI) and setup() mounts them. */
export const scaffolderRoutes: RouteDefinition<ScaffolderRouteServices>[] = [
  createTask,
  listTasks,
  getTask,
  cancelTask,
  retryTask,
  decideApproval,
  retryStep,
  skipStep,
  resumeTask,
  decideStepApproval,
  callbackRoute,
  listTaskEvents,
  taskEventStream,
  listActions,
  listTemplatingExtensions,
  getParameterSchema,
  dryRun,
  listEntityActions,
];
