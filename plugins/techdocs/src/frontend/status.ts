import type { StatusTone } from '@atrium/ui';
import type { BuildStatus } from '../common';

export const STATUS_LABEL: Record<BuildStatus, string> = {
  'not-built': 'Not built',
  queued: 'Queued',
  building: 'Building',
  ready: 'Ready',
  failed: 'Build failed',
};

export const STATUS_TONE: Record<BuildStatus, StatusTone> = {
  'not-built': 'neutral',
  queued: 'info',
  building: 'info',
  ready: 'success',
  failed: 'danger',
};

/** `group:default/platform-team` → `platform-team`; other namespaces and kinds stay visible. */
export function shortRef(ref: string): string {
  const m = /^(?:([^:]+):)?(?:([^/]+)\/)?(.+)$/.exec(ref);
  if (!m) return ref;
  const [, kind, namespace, name] = m;
  const ns = namespace && namespace !== 'default' ? `${namespace}/` : '';
  return kind && kind !== 'group' && kind !== 'user' ? `${kind}:${ns}${name}` : `${ns}${name}`;
}
