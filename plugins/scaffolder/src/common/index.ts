/**
 * Types shared by the scaffolder's backend and UI: the REST shapes of /api/scaffolder, kept
 * in Backstage's form (v2/tasks, v2/tasks/:id, eventstream, dry-run, actions, parameter-schema).
 */
/**
 * `waiting`: a step waits for the world (approval, callback, time, pull request) and no worker
 * holds the task; `needs-attention`: a step that is not safe to repeat was cut off, a person
 * chooses retry or skip.
 */
export type TaskStatus = 'open' | 'awaiting-approval' | 'processing' | 'waiting' | 'needs-attention' | 'completed' | 'failed' | 'cancelled';
export type StepStatus = 'open' | 'processing' | 'waiting' | 'needs-attention' | 'completed' | 'failed' | 'skipped' | 'cancelled' | 'undone';

export const FINAL_TASK_STATUSES: readonly TaskStatus[] = ['completed', 'failed', 'cancelled'];

export type JsonObject = { [key: string]: unknown };

export interface TaskStep {
  id: string;
  name: string;
  action: string;
  input?: JsonObject;
  if?: string | boolean;
  each?: unknown;
  /** Longest the step may run (seconds, or an ISO 8601 duration such as `PT10M`); waiting steps: longest they wait. */
  timeout?: number | string;
}

/** Backstage's TaskSpecV1beta3. */
export interface TaskSpec {
  apiVersion: 'scaffolder.backstage.io/v1beta3';
  steps: TaskStep[];
  output: JsonObject;
  parameters: JsonObject;
  /** Longest the whole task may take (seconds or an ISO 8601 duration), waits included. */
  timeout?: number | string;
  user: { entity?: JsonObject; ref?: string };
  templateInfo: {
    entityRef: string;
    baseUrl?: string;
    entity?: { metadata: JsonObject };
  };
}

export interface ApprovalState {
  /** Entity refs (groups or users) allowed to decide. */
  approvers: string[];
  /** The template lets the task's requester approve their own task (`spec.approval.allowSelfApproval`). */
  allowSelfApproval?: boolean;
  decision?: 'approved' | 'rejected';
  decidedBy?: string;
  decidedAt?: string;
  comment?: string;
}

/** GET /v2/tasks/:id */
export interface SerializedTask {
  id: string;
  spec: TaskSpec;
  status: TaskStatus;
  createdAt: string;
  lastHeartbeatAt?: string;
  createdBy?: string;
  /** Atrium extras. */
  templateRef?: string;
  approval?: ApprovalState;
  output?: JsonObject;
  error?: string;
  completedAt?: string;
  /** The task this one started over from. */
  retryOf?: string;
  /** Durable steps: each step's recorded outcome, in template order (steps not reached are absent). */
  steps?: StepRecord[];
  /** What a `waiting` task waits for. */
  waitingOn?: WaitingOn;
  /** Why a task `needs-attention`. */
  attention?: { stepId: string; reason: string; lastLog?: string };
  /** When the task times out (its `spec.timeout`). */
  deadlineAt?: string;
}

export interface StepRecord {
  id: string;
  status: StepStatus;
  attempt: number;
  startedAt?: string;
  finishedAt?: string;
  output?: JsonObject;
  error?: string;
  /** The step's last log line (kept for `needs-attention`). */
  lastLog?: string;
  /** Files in the workspace after the step (a content-addressed snapshot): how many. */
  fileCount?: number;
}

export type WaitKind = 'approval' | 'callback' | 'until' | 'pull-request';

export interface WaitingOn {
  stepId: string;
  kind: WaitKind;
  since: string;
  /** Shown in the UI: "approval by group:default/admins (1 of 2)". */
  description: string;
  /** When the wait next wakes up (time reached, next poll, reminder or expiry). */
  wakeAt?: string;
  /** approval: who may decide, how many must, who did. */
  approvers?: string[];
  required?: number;
  approvals?: Array<{ by: string; at: string; comment?: string }>;
  allowSelfApproval?: boolean;
  expiresAt?: string;
  /** callback: the one-time URL (shown to the task's creator only). */
  callbackUrl?: string;
  /** pull-request: the URL polled and its last state. */
  pullRequestUrl?: string;
  lastState?: string;
}

export type TaskEventType = 'log' | 'completion' | 'cancelled' | 'recovered';

export interface TaskEventBody {
  message: string;
  stepId?: string;
  status?: StepStatus | TaskStatus;
  output?: JsonObject;
  error?: { name: string; message: string };
  [key: string]: unknown;
}

export interface SerializedTaskEvent {
  id: number;
  taskId: string;
  type: TaskEventType;
  body: TaskEventBody;
  createdAt: string;
  isTaskRecoverable?: boolean;
}

/** GET /v2/tasks */
export interface ListTasksResponse {
  tasks: SerializedTask[];
  /** Exact up to 1,000 matching tasks; beyond, a lower bound and `totalTasksIsLowerBound` is true. */
  totalTasks: number;
  totalTasksIsLowerBound?: true;
}

export interface ActionInfo {
  id: string;
  description?: string;
  examples?: Array<{ description: string; example: string }>;
  schema?: { input?: JsonObject; output?: JsonObject };
  supportsDryRun?: boolean;
  /** Safe to run again after being cut off (else an interrupted step needs attention). */
  idempotent?: boolean;
  /** Has a compensation run on cancel with compensate. */
  undo?: boolean;
  /** A waiting action (wait:*). */
  waits?: boolean;
}

export interface ParameterSchemaResponse {
  title: string;
  description?: string;
  presentation?: JsonObject;
  'ui:options'?: JsonObject;
  steps: Array<{ title: string; description?: string; schema: JsonObject }>;
  /** Atrium extras: approval groups and the entity filter of a day-2 template. */
  approval?: { approvers: string[] };
  entityFilter?: JsonObject | JsonObject[];
}

export interface DryRunRequest {
  template: JsonObject;
  values: JsonObject;
  secrets?: Record<string, string>;
  directoryContents?: Array<{ path: string; base64Content: string }>;
}

export interface DryRunResponse {
  log: Array<{ body: TaskEventBody }>;
  directoryContents: Array<{ path: string; executable: boolean; base64Content: string }>;
  output: JsonObject;
  steps: Array<{ id: string; name: string; action: string }>;
}

/** GET /v2/entity-actions?entityRef=... : templates whose entity filter matches the entity. */
export interface EntityActionsResponse {
  items: Array<{ templateRef: string; title: string; description?: string; parameter: string }>;
}

export const SCAFFOLDER_API = '/scaffolder';
