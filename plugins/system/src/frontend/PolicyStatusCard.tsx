import { apiFetch, isApiError, useEntity } from '@atrium/frontend-plugin-api';
import { SectionCard } from '@atrium/ui';
import { Badge, Group, Loader, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';

/** `GET /api/permissions/policies`: the Policy entities the permission engine has seen. */
interface PolicySources {
  trustedLocations: string[];
  items: Array<{
    entityRef: string;
    status: 'active' | 'rejected' | 'ignored';
    origin: string | null;
    error?: string;
    lastGoodInForce?: boolean;
    rules: number;
    loadedAt?: string;
  }>;
}

const STATUS = {
  active: { label: 'In force', color: 'green' },
  rejected: { label: 'Refused', color: 'red' },
  ignored: { label: 'Ignored', color: 'gray' },
} as const;

/**
 * On a Policy entity's overview: whether the permission engine applies it, and if not why
 * (a validation error, naming the key; or a location permission.trustedLocations does not list).
 */
export default function PolicyStatusCard() {
  const entity = useEntity();
  const ref = `policy:${(entity.metadata.namespace ?? 'default').toLowerCase()}/${entity.metadata.name.toLowerCase()}`;
  const query = useQuery({
    queryKey: ['system', 'permissions', 'policies'],
    queryFn: ({ signal }) => apiFetch<PolicySources>('/permissions/policies', { signal }),
    retry: false,
  });
  const mine = query.data?.items.find((i) => i.entityRef === ref);
  return (
    <SectionCard title="Policy status">
      {query.isPending ? (
        <Group gap="xs">
          <Loader size="xs" aria-hidden />
          <Text size="sm" c="dimmed">
            Asking the permission engine…
          </Text>
        </Group>
      ) : query.error ? (
        <Text size="sm" c={isApiError(query.error) && query.error.status === 403 ? 'dimmed' : 'red'}>
          {isApiError(query.error) && query.error.status === 403
            ? 'Only administrators see whether a policy is in force.'
            : `Could not load the policy status: ${query.error.message}`}
        </Text>
      ) : !mine ? (
        <Text size="sm" c="dimmed">
          Not applied: permission.trustedLocations lists no location, or the engine has not read this entity yet.
        </Text>
      ) : (
        <>
          <Group gap="xs" mb="xs">
            <Badge color={STATUS[mine.status].color} variant="light">
              {STATUS[mine.status].label}
            </Badge>
            <Text size="sm" c="dimmed">
              {mine.rules} {mine.rules === 1 ? 'rule' : 'rules'} in force
            </Text>
          </Group>
          {mine.error && (
            <Text size="sm" c={mine.status === 'rejected' ? 'red' : 'dimmed'} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {mine.error}
              {mine.status === 'rejected' ? (mine.lastGoodInForce ? ' The last good version stays in force.' : ' Nothing of it is in force.') : ''}
            </Text>
          )}
        </>
      )}
    </SectionCard>
  );
}
