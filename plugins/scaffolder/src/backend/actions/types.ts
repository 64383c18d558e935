import type { Caller, JsonSchema } from '@atrium/backend-plugin-api';
import type { CatalogService } from '@atrium/plugin-catalog/common';
import type { TemplateSources } from '../sources.js';

/** What a step's action may log; secrets are masked before anything is stored. */
export interface StepLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ActionContext<I = Record<string, unknown>> {
  input: I;
  workspacePath: string;
  logger: StepLogger;
  output(name: string, value: unknown): void;
  createTemporaryDirectory(): Promise<string>;
  secrets: Record<string, string>;
  user: { ref?: string; entity?: Record<string, unknown> };
  templateInfo: { entityRef: string; baseUrl?: string };
  isDryRun: boolean;
  signal: AbortSignal;
  taskId: string;
  stepId: string;
  /** Reads template-relative sources (skeletons) through the hardened readers. */
  sources: TemplateSources;
  /** The catalog, in-process. */
  catalog: CatalogService;
}

/** A scaffolder action. Plugins add their own through `scaffolderActionsRef`. */
export interface TemplateAction<I = Record<string, unknown>> {
  id: string;
  description?: string;
  examples?: Array<{ description: string; example: string }>;
  /** JSON Schemas; `input` is checked before the step runs. */
  schema?: { input?: JsonSchema; output?: JsonSchema };
  /** Runs in dry runs too; actions without it are skipped there (with a log line). */
  supportsDryRun?: boolean;
  /**
   * Safe to run again after it was cut off half-way (a restart, a replica's death): the step is
   * then simply repeated. Default false for actions with side effects: such a step interrupted
   * pauses the task as "needs attention" until a person retries or skips it. Built-ins that only
   * touch the workspace or read (fetch:*, fs:*, debug:*) declare true.
   */
  idempotent?: boolean;
  handler(ctx: ActionContext<I>): Promise<void>;
  /**
   * Compensation: undoes what a completed step did (delete the repository it created, ...).
   * Run in reverse step order when a task is cancelled with `compensate: true`. Receives the
   * step's input and recorded output.
   */
  undo?(ctx: UndoContext<I>): Promise<void>;
  /**
   * Waiting actions (built-in `wait:*`) only: instead of running a handler, the step says what
   * it waits for, and the task is put aside (a row, no worker) until the wait ends; or it
   * answers `done` at once (a time already past).
   */
  beginWait?(ctx: WaitContext<I>): Promise<{ done: Record<string, unknown> } | { wait: WaitRequest }>;
}

export interface WaitContext<I = Record<string, unknown>> {
  input: I;
  taskId: string;
  stepId: string;
  user: { ref?: string; entity?: Record<string, unknown> };
  catalog: CatalogService;
  logger: StepLogger;
  signal: AbortSignal;
  /** The step's own `timeout` (ms): how long it may wait. */
  timeoutMs?: number;
}

/** What a waiting step waits for; stored on the task row (`waiting_on`) while it waits. */
export interface WaitRequest {
  kind: 'approval' | 'callback' | 'until' | 'pull-request';
  description: string;
  /** When to look at it again (time reached, next poll, next reminder); the expiry is added to it. */
  wakeAt?: Date;
  expiresAt?: Date;
  /** Entity refs whose members may act on it (approvers), for "Waiting for me". */
  waitingFor?: string[];
  /** Kind-specific state kept with the wait (approvals so far, poll interval, callback nonce...). */
  state: Record<string, unknown>;
}

export interface UndoContext<I = Record<string, unknown>> {
  input: I;
  /** What the step recorded as its output when it completed. */
  output: Record<string, unknown>;
  logger: StepLogger;
  secrets: Record<string, string>;
  user: { ref?: string; entity?: Record<string, unknown> };
  signal: AbortSignal;
  taskId: string;
  stepId: string;
  catalog: CatalogService;
}

/** The state of a pull or merge request, as a checker reports it. */
export type PullRequestState = 'open' | 'merged' | 'closed';

/**
 * Tells `wait:pull-request` whether a PR/MR is merged. Integrations register one per provider
 * through `scaffolderActionsRef` (`registerPullRequestChecker`); the first whose `matches`
 * accepts the URL is asked. A checker must guard its own outbound requests (SSRF guard).
 */
export interface PullRequestChecker {
  id: string;
  matches(url: string): boolean;
  check(url: string, options: { signal: AbortSignal }): Promise<{ state: PullRequestState; detail?: string }>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTemplateAction = TemplateAction<any>;

/** The service other plugins use to add actions. */
export interface ScaffolderActionsService {
  registerAction(action: AnyTemplateAction): void;
  /** Adds a provider for `wait:pull-request` (GitHub, GitLab, ...). */
  registerPullRequestChecker(checker: PullRequestChecker): void;
  /**
   * Runs a template (or a day-2 template, its entity passed in `values`) as `options.caller`,
   * under the same checks as POST /v2/tasks: `scaffolder.task.create` on the Template, values and
   * steps validated (an InputError names every problem), approval honoured, audited. With
   * `idempotencyKey` the same caller and key start one task only; with `dryRun` nothing is created.
   */
  createTask(
    request: { templateRef: string; values?: Record<string, unknown>; secrets?: Record<string, string> },
    options: { caller: Caller; idempotencyKey?: string; dryRun?: boolean; startedBy?: Record<string, unknown> },
  ): Promise<{ id?: string; existed?: boolean; awaitingApproval?: boolean }>;
}

export function createTemplateAction<I = Record<string, unknown>>(action: TemplateAction<I>): TemplateAction<I> {
  return action;
}
