import type { JsonSchema } from '@atrium/backend-plugin-api';

export interface AutomationsConfig {
  /** Automations defined in config: an `id` plus the spec of an Automation entity. */
  rules: Array<Record<string, unknown>>;
  /** Hosts webhooks may reach even when they are loopback or private (`hooks.internal`, `127.0.0.1`, `*.corp.example`). */
  allowedHosts: string[];
  /** Named secrets for webhook signatures; definitions name them, never hold them. */
  secrets: Record<string, string>;
  /** Actions caused by actions: a chain longer than this is stopped (loop detection). */
  maxHops: number;
  pollIntervalMs: number;
  deliveryConcurrency: number;
  defaultTimeoutMs: number;
  defaultMaxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  leaseSeconds: number;
  /** Response bodies are kept up to this many bytes in the delivery log. */
  responseLogBytes: number;
  /** `schedule` and `entity.timer` triggers are checked this often. */
  timerIntervalSeconds: number;
}

export const automationsConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    rules: { type: 'array', items: { type: 'object' }, default: [] },
    allowedHosts: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
    secrets: { type: 'object', additionalProperties: { type: 'string', minLength: 1 }, default: {} },
    maxHops: { type: 'integer', minimum: 1, maximum: 100, default: 5 },
    pollIntervalMs: { type: 'integer', minimum: 10, maximum: 60_000, default: 250 },
    deliveryConcurrency: { type: 'integer', minimum: 1, maximum: 256, default: 16 },
    defaultTimeoutMs: { type: 'integer', minimum: 100, maximum: 120_000, default: 10_000 },
    defaultMaxAttempts: { type: 'integer', minimum: 1, maximum: 50, default: 5 },
    backoffBaseMs: { type: 'integer', minimum: 1, maximum: 3_600_000, default: 1000 },
    backoffMaxMs: { type: 'integer', minimum: 1, maximum: 86_400_000, default: 300_000 },
    leaseSeconds: { type: 'integer', minimum: 1, maximum: 3600, default: 60 },
    responseLogBytes: { type: 'integer', minimum: 0, maximum: 1_048_576, default: 4096 },
    timerIntervalSeconds: { type: 'integer', minimum: 1, maximum: 3600, default: 30 },
  },
  additionalProperties: false,
};

/** The custom kind, for `catalog.kinds` (app-config.yaml declares it; tests pass this). */
export const automationKinds = [
  {
    apiVersion: 'atrium.dev/v1alpha1',
    kind: 'Automation',
    description: 'An automation: a trigger, a CEL condition and actions.',
    specSchema: { type: 'object' },
  },
];
