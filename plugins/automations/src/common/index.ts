/**
 * Types shared by the automations backend, its UI and other plugins: Automation definitions,
 * runs and deliveries as the API returns them, the trigger types and the permission names.
 */

export const AUTOMATION_API_VERSION = 'atrium.dev/v1alpha1';
export const AUTOMATION_KIND = 'Automation';

/** Annotation the automations plugin writes on what it causes, so a loop can be counted (see docs/automations.md). */
export const AUTOMATION_HOP_HEADER = 'x-atrium-automation-hop';

/** Trigger types built into the plugin. Plugins add their own with `automationsServiceRef.registerTrigger`. */
export const BUILTIN_TRIGGERS = {
  'entity.created': 'An entity appeared in the catalog.',
  'entity.updated': 'A stored entity changed (before and after are given).',
  'entity.deleted': 'An entity was removed from the catalog.',
  'entity.orphaned': 'An entity lost the location that yielded it and is kept as an orphan.',
  'location.error': 'Reading a catalog location failed.',
  'scorecard.level-changed': "An entity's level in a scorecard changed.",
  'initiative.deadline-approaching': 'An initiative deadline is close and entities still fail it.',
  'initiative.deadline-passed': 'An initiative deadline passed with entities still failing it.',
  'scaffolder.task.succeeded': 'A scaffolder task finished successfully.',
  'scaffolder.task.failed': 'A scaffolder task failed.',
  'scaffolder.task.awaiting-approval': 'A scaffolder task waits for an approval.',
  'scaffolder.task.needs-attention': 'A scaffolder task stopped at a step cut off half-way; a person must retry or skip it.',
  'scaffolder.task.cancelled': 'A scaffolder task was cancelled.',
  'scaffolder.task.rejected': "A scaffolder task's approval was rejected (the task ends cancelled).",
  'techdocs.build.failed': 'A TechDocs build failed.',
  'entity.timer': 'A date in an entity field passed (e.g. an expires-at annotation).',
  schedule: 'A cron schedule (UTC).',
} as const;
export type BuiltinTriggerType = keyof typeof BUILTIN_TRIGGERS;

export interface TriggerSpec {
  /** A built-in type or one a plugin registered. */
  type: string;
  /** `schedule`: five-field cron expression in UTC (`0-59/15 * * * *` is every 15 minutes). */
  cron?: string;
  /** `entity.timer`: a CEL expression over `entity` giving a date (`entity.metadata.annotations["example.com/expires-at"]`). */
  field?: string;
  /** `entity.timer`: fire this long before the date (seconds, default 0). */
  offsetSeconds?: number;
  /** `entity.timer`: which entities to watch (catalog filter, e.g. `{ kind: "Resource" }`). */
  filter?: Record<string, string | string[]>;
}

export type ActionSpec = WebhookActionSpec | ChatActionSpec | NotifyActionSpec | EmailActionSpec | EmitActionSpec | AnnotateActionSpec | ScaffolderActionSpec;

export interface WebhookActionSpec {
  type: 'webhook';
  url: string;
  method?: 'POST' | 'PUT' | 'PATCH';
  /** JSON body; strings may hold `{{ cel }}` placeholders. Default: the event. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Name of a secret under `automations.secrets` used to sign the body (HMAC-SHA256). */
  secret?: string;
  timeoutMs?: number;
  maxAttempts?: number;
}
export interface ChatActionSpec {
  type: 'slack' | 'teams';
  url: string;
  /** Message text with `{{ cel }}` placeholders. */
  text: string;
  timeoutMs?: number;
  maxAttempts?: number;
}
export interface NotifyActionSpec {
  type: 'notify';
  /** User or group refs; `owner` adds the entity's owner. */
  recipients?: string[];
  owner?: boolean;
  title: string;
  description?: string;
  link?: string;
  severity?: 'low' | 'normal' | 'high' | 'critical';
}
export interface EmailActionSpec {
  type: 'email';
  to: string[];
  subject: string;
  text: string;
}
export interface EmitActionSpec {
  type: 'emit';
  /** A trigger type (a plugin's or another automation's custom type). */
  event: string;
  payload?: unknown;
}
/**
 * Set or remove annotations and labels on an entity (the event's unless `entityRef` is given).
 * The catalog refuses the change for entities whose metadata comes from a descriptor file or an
 * entity provider (see docs/automations.md); a change already in place succeeds.
 */
export interface AnnotateActionSpec {
  type: 'annotate';
  /** Default: the event's entity. May hold `{{ cel }}` placeholders. */
  entityRef?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  removeAnnotations?: string[];
  removeLabels?: string[];
}
/** Run a scaffolder template (a day-2 template: pass the entity in `values`) as `plugin:automations`. */
export interface ScaffolderActionSpec {
  type: 'scaffolder';
  /** The Template entity ref (`template:default/rotate-secrets`; the kind may be left out). */
  template: string;
  /** The template's parameters; strings may hold `{{ cel }}` placeholders. */
  values?: Record<string, unknown>;
}

export interface AutomationSpec {
  trigger: TriggerSpec;
  /** CEL over `event`, `entity`, `before`, `after`; must be true for the actions to run. Default: always. */
  condition?: string;
  actions: ActionSpec[];
  /** Definition-level switch; pause/resume in the UI is separate. Default true. */
  enabled?: boolean;
}

export interface DefinitionError {
  /** Where it is defined: an entity ref or `automations.rules[i]`. */
  source: string;
  automation?: string;
  message: string;
}

export interface AutomationSummary {
  id: string;
  title?: string;
  description?: string;
  /** An entity ref (`automation:default/x`) or `config`. */
  source: string;
  trigger: TriggerSpec;
  condition?: string;
  actions: Array<{ type: string; target?: string }>;
  /** Valid and not disabled in its definition. */
  enabled: boolean;
  paused: boolean;
  errors: string[];
  lastRunAt?: string;
  runCount: number;
  failedDeliveries: number;
}

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'loop-stopped' | 'condition-error' | 'dry-run';
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'dead';

export interface AutomationEvent {
  /** Unique key of the event (the event log id, `schedule:<automation>:<time>`, ...). */
  id: string;
  type: string;
  time: string;
  entityRef?: string;
  payload?: unknown;
  /** How many automation actions led to this event (0: a person or a source did it). */
  hop: number;
}

export interface AutomationRun {
  id: string;
  automationId: string;
  eventKey: string;
  event: AutomationEvent;
  status: RunStatus;
  reason?: string;
  createdAt: string;
  deliveries?: DeliveryView[];
}

export interface DeliveryAttemptView {
  attempt: number;
  at: string;
  durationMs: number;
  statusCode?: number;
  error?: string;
  response?: string;
}

export interface DeliveryView {
  id: string;
  runId: string;
  automationId: string;
  actionIndex: number;
  actionType: string;
  idempotencyKey: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt?: string;
  lastStatusCode?: number;
  lastDurationMs?: number;
  lastError?: string;
  request?: { method?: string; url?: string; headers?: Record<string, string>; body?: unknown };
  history: DeliveryAttemptView[];
  createdAt: string;
  updatedAt: string;
}

export interface DryRunResult {
  matched: boolean;
  reason?: string;
  actions: Array<{ type: string; request?: unknown; error?: string }>;
}

export const AUTOMATION_PERMISSIONS = {
  read: 'automations.automation.read',
  update: 'automations.automation.update',
  test: 'automations.automation.test',
  redeliver: 'automations.delivery.redeliver',
} as const;
