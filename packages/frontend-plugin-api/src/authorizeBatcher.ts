import { apiFetch } from './apiFetch';

/** One question for `POST /api/permissions/authorize`: may the caller do `permission` (on `resourceRef`)? */
export interface PermissionCheck {
  permission: string;
  /** The target, e.g. an entity ref `component:default/orders`; omitted for permissions without one. */
  resourceRef?: string;
}

/** The server's answer to one check (`POST /api/permissions/authorize`). */
export interface PermissionDecisionView {
  permission: string;
  resourceRef?: string;
  decision: 'allow' | 'deny';
  /** Allowed for some targets only (the check named none). */
  conditional?: boolean;
  reason?: string;
  ruleIndex?: number;
  ruleId?: string;
}

/** The endpoint takes at most this many checks per request. */
export const AUTHORIZE_BATCH_LIMIT = 100;

export type SendAuthorize = (items: PermissionCheck[]) => Promise<{ items: PermissionDecisionView[] }>;

const sendToServer: SendAuthorize = (items) => apiFetch('/permissions/authorize', { json: { items } });

export interface AuthorizeBatcher {
  /** Resolves with the decision; checks asked before the next macrotask go out together. */
  load(check: PermissionCheck): Promise<PermissionDecisionView>;
}

interface Waiting {
  check: PermissionCheck;
  resolve: Array<(d: PermissionDecisionView) => void>;
  reject: Array<(e: unknown) => void>;
}

export function checkKey(check: PermissionCheck): string {
  return `${check.permission}\u0000${check.resourceRef ?? ''}`;
}

/**
 * Collects the checks made while React renders and commits (every `usePermission` of a page
 * asks in the same task) and sends them as one `POST /api/permissions/authorize` (several when
 * there are more than 100), each distinct check once.
 */
export function createAuthorizeBatcher(send: SendAuthorize = sendToServer): AuthorizeBatcher {
  let waiting = new Map<string, Waiting>();
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const batch = [...waiting.values()];
    waiting = new Map();
    for (let start = 0; start < batch.length; start += AUTHORIZE_BATCH_LIMIT) {
      const chunk = batch.slice(start, start + AUTHORIZE_BATCH_LIMIT);
      send(chunk.map((w) => w.check)).then(
        (response) => {
          chunk.forEach((w, i) => {
            const decision = response.items[i];
            if (decision) w.resolve.forEach((r) => r(decision));
            else w.reject.forEach((r) => r(new Error(`POST /api/permissions/authorize answered no decision for ${w.check.permission}`)));
          });
        },
        (error: unknown) => chunk.forEach((w) => w.reject.forEach((r) => r(error))),
      );
    }
  };

  return {
    load(check) {
      return new Promise((resolve, reject) => {
        const key = checkKey(check);
        const entry = waiting.get(key) ?? {
          check: { permission: check.permission, ...(check.resourceRef ? { resourceRef: check.resourceRef } : {}) },
          resolve: [],
          reject: [],
        };
        entry.resolve.push(resolve);
        entry.reject.push(reject);
        waiting.set(key, entry);
        if (!scheduled) {
          scheduled = true;
          setTimeout(flush, 0);
        }
      });
    },
  };
}
