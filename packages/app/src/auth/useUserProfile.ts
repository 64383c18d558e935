import { apiFetch } from '@atrium/frontend-plugin-api';
import { humanizeEntityRef } from '@atrium/ui';
import { useQuery } from '@tanstack/react-query';

/** What the shell shows of a person: from their catalog User entity when there is one. */
export interface UserProfile {
  displayName: string;
  email?: string;
  picture?: string;
  /** Whether the catalog has a User entity for the ref (so "my profile" can link to it). */
  inCatalog: boolean;
}

interface ProfileEntity {
  metadata: { name: string; title?: string };
  spec?: { profile?: { displayName?: string; email?: string; picture?: string } };
}

/** The profile for a user ref; without a catalog entity, the ref's name. */
export function profileFrom(ref: string, entity: ProfileEntity | null | undefined): UserProfile {
  const profile = entity?.spec?.profile;
  const displayName = profile?.displayName || entity?.metadata.title || humanizeEntityRef(ref, { defaultKind: 'user' });
  return {
    displayName,
    ...(profile?.email ? { email: profile.email } : {}),
    ...(profile?.picture ? { picture: profile.picture } : {}),
    inCatalog: Boolean(entity),
  };
}

/** Up to two initials for an avatar: "Amara Okafor" → "AO", "li.wei" → "LW". */
export function initialsOf(name: string): string {
  const words = name.split(/[\s._-]+/).filter((w) => /\p{L}|\p{N}/u.test(w));
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words.slice(0, 1);
  return letters.map((w) => [...(w ?? '')][0]?.toUpperCase() ?? '').join('') || '?';
}

/** The caller's catalog profile; a missing catalog (or entity) falls back to the ref's name. */
export function useUserProfile(ref: string | undefined) {
  return useQuery({
    queryKey: ['atrium', 'auth', 'profile', ref],
    enabled: Boolean(ref),
    staleTime: 5 * 60_000,
    retry: false,
    queryFn: async ({ signal }): Promise<UserProfile> => {
      if (!ref) throw new Error('useUserProfile: no ref');
      const entity = await apiFetch<{ items: Array<ProfileEntity | null> }>('/catalog/entities/by-refs', {
        json: { entityRefs: [ref], fields: ['metadata.name', 'metadata.title', 'spec.profile'] },
        signal,
      })
        .then((r) => r.items[0])
        .catch(() => undefined);
      return profileFrom(ref, entity);
    },
  });
}
