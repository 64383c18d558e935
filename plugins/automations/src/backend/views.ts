import type { Db } from '@atrium/backend-plugin-api';
import type { AutomationRun, AutomationSummary, DeliveryView } from '../common/index.js';
import type { Automation } from './definitions.js';

type DeliveryDbRow = {
  id: string;
  run_id: string;
  automation_id: string;
  action_index: number;
  action_type: string;
  idempotency_key: string;
  status: DeliveryView['status'];
  attempts: number;
  next_attempt_at: Date | string | null;
  last_status_code: number | null;
  last_duration_ms: number | null;
  last_error: string | null;
  request: Record<string, unknown>;
  created_at: Date | string;
  updated_at: Date | string;
};
type AttemptRow = {
  delivery_id: string;
  attempt: number;
  at: Date | string;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response: string | null;
};

const iso = (v: Date | string) => new Date(v).toISOString();

export async function summaries(db: Db, automations: Automation[]): Promise<AutomationSummary[]> {
  const state = (await db('automation_state').select('automation_id', 'paused')) as Array<{ automation_id: string; paused: boolean }>;
  const paused = new Set(state.filter((s) => s.paused).map((s) => s.automation_id));
  const runStats = (await db('runs').select('automation_id').count({ n: '*' }).max({ last: 'created_at' }).groupBy('automation_id')) as Array<{
    automation_id: string;
    n: string | number;
    last: Date | string | null;
  }>;
  const failed = (await db('deliveries').whereIn('status', ['failed', 'dead']).select('automation_id').count({ n: '*' }).groupBy('automation_id')) as Array<{
    automation_id: string;
    n: string | number;
  }>;
  const stats = new Map(runStats.map((r) => [r.automation_id, r]));
  const fails = new Map(failed.map((r) => [r.automation_id, Number(r.n)]));
  return automations.map((a) => summaryOf(a, paused.has(a.id), stats.get(a.id), fails.get(a.id) ?? 0));
}

function summaryOf(
  a: Automation,
  paused: boolean,
  stats: { n: string | number; last: Date | string | null } | undefined,
  failedDeliveries: number,
): AutomationSummary {
  return {
    id: a.id,
    ...(a.title ? { title: a.title } : {}),
    ...(a.description ? { description: a.description } : {}),
    source: a.source,
    trigger: a.spec.trigger,
    ...(a.spec.condition ? { condition: a.spec.condition } : {}),
    actions: (a.spec.actions ?? []).map((x) => ({
      type: x.type,
      ...('url' in x && typeof x.url === 'string' ? { target: redactUrl(x.url) } : x.type === 'scaffolder' ? { target: x.template } : {}),
    })),
    enabled: a.enabled,
    paused,
    errors: a.errors,
    ...(stats?.last ? { lastRunAt: iso(stats.last) } : {}),
    runCount: Number(stats?.n ?? 0),
    failedDeliveries,
  };
}

/** Incoming-webhook URLs carry their credential in the path (Slack, Teams): show only the origin. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}/…`;
  } catch {
    return '(invalid URL)';
  }
}

function deliveryView(d: DeliveryDbRow, attempts: AttemptRow[]): DeliveryView {
  const req = d.request;
  const isHttp = ['webhook', 'slack', 'teams'].includes(d.action_type);
  return {
    id: d.id,
    runId: d.run_id,
    automationId: d.automation_id,
    actionIndex: d.action_index,
    actionType: d.action_type,
    idempotencyKey: d.idempotency_key,
    status: d.status,
    attempts: d.attempts,
    ...(d.status === 'pending' && d.next_attempt_at ? { nextAttemptAt: iso(d.next_attempt_at) } : {}),
    ...(d.last_status_code !== null ? { lastStatusCode: d.last_status_code } : {}),
    ...(d.last_duration_ms !== null ? { lastDurationMs: d.last_duration_ms } : {}),
    ...(d.last_error ? { lastError: d.last_error } : {}),
    request: isHttp
      ? {
          method: String(req['method'] ?? 'POST'),
          url: d.action_type === 'webhook' ? String(req['url']) : redactUrl(String(req['url'])),
          headers: (req['headers'] as Record<string, string>) ?? {},
          body: req['body'],
        }
      : { body: req },
    history: attempts.map((a) => ({
      attempt: a.attempt,
      at: iso(a.at),
      durationMs: a.duration_ms,
      ...(a.status_code !== null ? { statusCode: a.status_code } : {}),
      ...(a.error ? { error: a.error } : {}),
      ...(a.response !== null ? { response: a.response } : {}),
    })),
    createdAt: iso(d.created_at),
    updatedAt: iso(d.updated_at),
  };
}

async function deliveriesOf(db: Db, runIds: string[]): Promise<Map<string, DeliveryView[]>> {
  const out = new Map<string, DeliveryView[]>();
  if (runIds.length === 0) return out;
  const rows = (await db('deliveries').whereIn('run_id', runIds).orderBy('action_index')) as DeliveryDbRow[];
  const attempts = rows.length
    ? ((await db('delivery_attempts')
        .whereIn(
          'delivery_id',
          rows.map((r) => r.id),
        )
        .orderBy(['delivery_id', 'attempt', 'id'])) as AttemptRow[])
    : [];
  const byDelivery = new Map<string, AttemptRow[]>();
  for (const a of attempts) byDelivery.set(a.delivery_id, [...(byDelivery.get(a.delivery_id) ?? []), a]);
  for (const r of rows) out.set(r.run_id, [...(out.get(r.run_id) ?? []), deliveryView(r, byDelivery.get(r.id) ?? [])]);
  return out;
}

type RunRow = {
  id: string;
  automation_id: string;
  event_key: string;
  event: AutomationRun['event'];
  status: AutomationRun['status'];
  reason: string | null;
  created_at: Date | string;
};

export async function recentRuns(db: Db, automationId: string, limit: number): Promise<AutomationRun[]> {
  const runs = (await db('runs').where({ automation_id: automationId }).orderBy('created_at', 'desc').orderBy('id').limit(limit)) as RunRow[];
  const deliveries = await deliveriesOf(
    db,
    runs.map((r) => r.id),
  );
  return runs.map((r) => ({
    id: r.id,
    automationId: r.automation_id,
    eventKey: r.event_key,
    event: r.event,
    status: r.status,
    ...(r.reason ? { reason: r.reason } : {}),
    createdAt: iso(r.created_at),
    deliveries: deliveries.get(r.id) ?? [],
  }));
}

export async function deliveryById(db: Db, id: string): Promise<DeliveryView | undefined> {
  const row = (await db('deliveries').where({ id }).first()) as DeliveryDbRow | undefined;
  if (!row) return undefined;
  const attempts = (await db('delivery_attempts').where({ delivery_id: id }).orderBy(['attempt', 'id'])) as AttemptRow[];
  return deliveryView(row, attempts);
}

export { summaryOf };
