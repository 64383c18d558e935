import { NotFoundError, type AuditService, type JsonSchema, type PermissionsService } from '@atrium/backend-plugin-api';
import type { CatalogService } from '@atrium/plugin-catalog/common';
import type { SerializedTask } from '../../common/index.js';
import type { ActionRegistry } from '../actions/registry.js';
import type { TaskRunner } from '../runner.js';
import type { TaskStore } from '../tasks/taskStore.js';
import type { TaskWorker } from '../tasks/taskWorker.js';
import type { WaitService } from '../tasks/waits.js';
import type { Knex } from 'knex';
import type { TaskOutcomeRecorder } from '../taskOutcomes.js';

/** What the scaffolder's route handlers use, passed to mountRoutes by setup(). */
export interface ScaffolderRouteServices {
  store: TaskStore;
  registry: ActionRegistry;
  catalog: CatalogService;
  worker: TaskWorker;
  runner: TaskRunner;
  /** For checks a handler makes once it knows the target (the template a task runs). */
  permissions: PermissionsService;
  audit: AuditService;
  /** For mutations audited in the same transaction. */
  db: Knex;
  waits: WaitService;
  /** Appends task outcomes to the host's event log (awaiting-approval at creation). */
  outcomes?: TaskOutcomeRecorder;
}

export interface TaskIdParams {
  taskId: string;
}

/** `:taskId`: any string; one that is not a stored task's id is a 404 (as Backstage answers), not a 400. */
export const taskIdParams: JsonSchema = {
  type: 'object',
  required: ['taskId'],
  properties: { taskId: { type: 'string', minLength: 1, description: 'Task id (a UUID)' } },
};

/** `?after=`: the id of the last event the client has. */
export const afterQuery: JsonSchema = {
  type: 'object',
  properties: { after: { type: 'integer', minimum: 0, description: 'Only events after this event id' } },
};

export const taskNotFound = { '404': { description: 'No such task' } };

export async function taskOr404(store: TaskStore, id: string): Promise<SerializedTask> {
  const task = await store.getTask(id);
  if (!task) throw new NotFoundError(`Task ${id} not found`);
  return task;
}

export const TASK_READ = 'scaffolder.task.read';
export const TASK_CREATE = 'scaffolder.task.create';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
