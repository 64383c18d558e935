import type { Entity } from '@atrium/catalog-model';

export interface Profile {
  displayName?: string;
  email?: string;
  picture?: string;
}

/** `spec.profile` of a user or group, with only string values kept. */
export function profileOf(entity: Pick<Entity, 'spec'> | null | undefined): Profile {
  const raw = (entity?.spec as { profile?: Record<string, unknown> } | undefined)?.profile ?? {};
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const picture = text(raw.picture);
  return {
    ...(text(raw.displayName) ? { displayName: text(raw.displayName) } : {}),
    ...(text(raw.email) ? { email: text(raw.email) } : {}),
    // Only web images: a `javascript:` or `data:` picture is ignored.
    ...(picture && /^https?:\/\//i.test(picture) ? { picture } : {}),
  };
}

/** Up to two initials for an avatar: `Amara Okafor` → `AO`. */
export function initialsOf(name: string): string {
  const words = name.split(/[\s._-]+/).filter(Boolean);
  return words
    .slice(0, 2)
    .map((w) => w.charAt(0).toUpperCase())
    .join('');
}
