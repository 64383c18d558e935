/**
 * Types shared by the scaffolder's backend and UI: the REST shapes of /api/scaffolder, kept
 * in Backstage's form (v2/tasks, v2/tasks/:id, eventstream, dry-run, actions, parameter-schema).
 */
export type TaskStatus = 'open' | 'awaiting-approval' | 'processing' | 'completed' | 'failed' | 'cancelled';
export type StepStatus = 'open' | 'processing' | 'completed' | 'failed' | 'skipped' | 'cancelled';

export const FINAL_TASK_STATUSES: readonly TaskStatus[] = ['completed', 'failed', 'cancelled'];

export type JsonObject = { [key: string]: unknown };

export interface TaskStep {
  id: string;
  name: string;
  action: string;
  input?: JsonObject;
  if?: string | boolean;
  each?: unknown;
}

/** Backstage's TaskSpecV1beta3. */
export interface TaskSpec {
  apiVersion: 'scaffolder.backstage.io/v1beta3';
  steps: TaskStep[];
  output: JsonObject;
  parameters: JsonObject;
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
  totalTasks: number;
}

export interface ActionInfo {
  id: string;
  description?: string;
  examples?: Array<{ description: string; example: string }>;
  schema?: { input?: JsonObject; output?: JsonObject };
  supportsDryRun?: boolean;
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
