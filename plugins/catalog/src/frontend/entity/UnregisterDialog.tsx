import { ANNOTATION_ORIGIN_LOCATION, getCompoundEntityRef, stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import type { Location } from '@atrium/plugin-catalog/common';
import { isApiError, permissionDeniedText, usePermissions } from '@atrium/frontend-plugin-api';
import { ErrorState, LoadingState } from '@atrium/ui';
import { Alert, Button, Code, Divider, Group, List, Modal, Stack, Text, Tooltip } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import * as api from '../api/catalogApi';
import { useInvalidateCatalog } from '../api/queries';
import { entityDisplayName } from '../components/entityDisplay';

const LISTED_ENTITIES = 20;

/**
 * Confirms unregistering an entity and says exactly what goes: the location it came from and
 * every entity that location provides. Locations from config cannot be unregistered here; an
 * entity no location provides (an orphan) can only be deleted.
 */
export function UnregisterDialog(props: { entity: Entity; onClose: () => void }) {
  const { entity } = props;
  const ref = stringifyEntityRef(entity);
  const navigate = useNavigate();
  const invalidate = useInvalidateCatalog();
  const [canDeleteEntity, canDeleteLocation] = usePermissions([
    { permission: 'catalog.entity.delete', resourceRef: ref },
    { permission: 'catalog.location.delete' },
  ]);
  const entityDenied = canDeleteEntity && permissionDeniedText(canDeleteEntity, 'delete this entity');
  const locationDenied = canDeleteLocation && permissionDeniedText(canDeleteLocation, 'unregister locations');

  const plan = useQuery({
    queryKey: ['catalog', 'unregister-plan', ref],
    queryFn: async ({ signal }) => {
      let location: Location;
      try {
        location = await api.getLocationByEntity(getCompoundEntityRef(entity), { signal });
      } catch (error) {
        if (isApiError(error) && error.status === 404) return { location: undefined };
        throw error;
      }
      const [status, provided] = await Promise.all([
        api.getLocationStatus(location.id, { signal }),
        api.queryEntities(
          {
            query: { [`metadata.annotations.${ANNOTATION_ORIGIN_LOCATION}`]: `${location.type}:${location.target}` },
            fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title', 'spec.profile.displayName'],
            orderBy: [{ field: 'kind', order: 'asc' }],
            limit: LISTED_ENTITIES,
            totalItems: 'include',
          },
          { signal },
        ),
      ]);
      return { location, status, provided };
    },
    staleTime: 0,
  });

  const done = async () => {
    props.onClose();
    await navigate('/catalog');
    await invalidate();
  };
  const removeLocation = useMutation({ mutationFn: (id: string) => api.removeLocation(id), onSuccess: done });
  const removeEntity = useMutation({ mutationFn: () => api.removeEntityByUid(entity.metadata.uid ?? ''), onSuccess: done });
  const busy = removeLocation.isPending || removeEntity.isPending;
  const failure = removeLocation.error ?? removeEntity.error;

  const deleteEntityButton = (label: string, variant: 'filled' | 'light') => (
    <Tooltip label={entityDenied} disabled={!entityDenied} multiline w={280}>
      <Button
        color="red"
        variant={variant}
        loading={removeEntity.isPending}
        disabled={busy || !entity.metadata.uid || !canDeleteEntity?.allowed}
        onClick={() => removeEntity.mutate()}
        aria-description={entityDenied || undefined}
        // Never squeezed by the text beside it; a disabled button gets no pointer events, the tooltip needs them.
        style={{ flexShrink: 0, ...(entityDenied ? { pointerEvents: 'auto' } : {}) }}
      >
        {label}
      </Button>
    </Tooltip>
  );

  return (
    <Modal opened onClose={props.onClose} title={`Unregister ${entityDisplayName(entity)}?`} size="lg">
      <Stack gap="md">
        {plan.isPending && <LoadingState label="Finding out what would be removed…" compact />}
        {plan.error ? <ErrorState error={plan.error} title="Could not find the entity’s location" onRetry={() => void plan.refetch()} /> : null}
        {plan.data && !plan.data.location && (
          <>
            <Text size="sm">
              No registered location provides <Code>{ref}</Code>. Deleting removes it from the catalog for good.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={props.onClose}>
                Cancel
              </Button>
              {deleteEntityButton('Delete entity', 'filled')}
            </Group>
          </>
        )}
        {plan.data?.location && plan.data.status && plan.data.provided && (
          <>
            {plan.data.status.source === 'config' ? (
              <Alert color="yellow" variant="light" title="This location is configured, not registered">
                <Text size="sm">
                  <Code>{plan.data.location.target}</Code> is listed under <Code>catalog.locations</Code> in the app config. Remove it there to unregister its
                  entities.
                </Text>
              </Alert>
            ) : (
              <>
                <Text size="sm">
                  This entity comes from the location <Code style={{ overflowWrap: 'anywhere' }}>{plan.data.location.target}</Code>. Unregistering removes the
                  location and{' '}
                  <strong>
                    {plan.data.provided.totalItems === 1 ? 'the 1 entity' : `all ${plan.data.provided.totalItems ?? plan.data.provided.items.length} entities`}
                  </strong>{' '}
                  it provides:
                </Text>
                <List size="sm" spacing={2} aria-label="Entities that will be removed">
                  {plan.data.provided.items.map((e) => (
                    <List.Item key={stringifyEntityRef(e)}>
                      {e.kind} <Code>{stringifyEntityRef(e)}</Code>
                    </List.Item>
                  ))}
                </List>
                {(plan.data.provided.totalItems ?? 0) > plan.data.provided.items.length && (
                  <Text size="sm" c="dimmed">
                    …and {(plan.data.provided.totalItems ?? 0) - plan.data.provided.items.length} more.
                  </Text>
                )}
                <Text size="sm">The repository itself is not changed. You can register it again later.</Text>
              </>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={props.onClose}>
                Cancel
              </Button>
              {plan.data.status.source === 'api' && (
                <Tooltip label={locationDenied} disabled={!locationDenied} multiline w={280}>
                  <Button
                    color="red"
                    loading={removeLocation.isPending}
                    disabled={busy || !canDeleteLocation?.allowed}
                    onClick={() => removeLocation.mutate(plan.data!.location!.id)}
                    aria-description={locationDenied || undefined}
                    style={locationDenied ? { pointerEvents: 'auto' } : undefined}
                  >
                    Unregister location
                  </Button>
                </Tooltip>
              )}
            </Group>
            <Divider label="Advanced" labelPosition="left" />
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Text size="sm" c="dimmed">
                Delete only this entity. It comes back at the location’s next refresh if the file still describes it.
              </Text>
              {deleteEntityButton('Delete entity only', 'light')}
            </Group>
          </>
        )}
        {failure ? <ErrorState error={failure} title="Could not unregister" /> : null}
      </Stack>
    </Modal>
  );
}
