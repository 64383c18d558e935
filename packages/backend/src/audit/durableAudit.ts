import type { AuditEvent, AuditRecord, AuditService, Logger } from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';
import { requestContextOfCaller } from '../http/requestContext.js';
import { auditDiff } from './auditDiff.js';
import type { AuditAppend, AuditStore } from './AuditStore.js';

export interface DurableAuditOptions {
  store: AuditStore;
  logger: Logger;
  /** Where JSON lines go when enabled (`backend.audit.stdout`); default none. */
  jsonLines?: (line: string) => void;
}

function toAppend(event: AuditEvent): AuditAppend {
  const request = requestContextOfCaller(event.actor);
  return {
    actor: event.actor.userEntityRef,
    actorType: event.actor.type,
    action: event.action,
    target: event.target ?? null,
    outcome: event.outcome ?? event.status ?? 'succeeded',
    requestId: event.requestId ?? request?.requestId ?? null,
    clientAddress: event.clientAddress ?? request?.clientAddress ?? null,
    diff: auditDiff(event.before, event.after),
    meta: event.meta ?? null,
  };
}

/**
 * The host's audit service: each record is appended to the hash-chained store (inside the caller's
 * transaction when given one), logged with `audit: true`, and optionally written as a JSON line.
 */
export function createDurableAudit(options: DurableAuditOptions): AuditService {
  const { store, logger, jsonLines } = options;
  const emit = (row: AuditRecord) => {
    logger.info(
      { audit: true, id: row.id, actor: row.actor, action: row.action, target: row.target, outcome: row.outcome, requestId: row.requestId },
      `audit: ${row.action}`,
    );
    jsonLines?.(`${JSON.stringify({ type: 'audit', ...row })}\n`);
  };
  return {
    record(event, recordOptions?: { trx?: Knex.Transaction }) {
      const entry = toAppend(event);
      const trx = recordOptions?.trx;
      if (trx) {
        return store.append(entry, trx).then((row) => {
          // Logged once the caller's transaction commits; nothing is said about a rolled-back change.
          const done = (trx as unknown as { executionPromise?: Promise<unknown> }).executionPromise;
          if (done)
            done.then(
              () => emit(row),
              () => {},
            );
          else emit(row);
        });
      }
      return store.append(entry).then(emit, (e: unknown) => {
        logger.error(
          { err: e, audit: true, actor: entry.actor, action: entry.action, target: entry.target },
          `audit record could not be written: ${entry.action}`,
        );
      });
    },
  };
}
