import { ANNOTATION_LOCATION, stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import { isApiError } from '@atrium/frontend-plugin-api';
import type { LocationError, LocationStatus } from '@atrium/plugin-catalog/common';
import { Alert, Anchor, Code, List, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import * as api from '../api/catalogApi';
import { catalogKeys, LIVE_REFRESH_MS } from '../api/queries';

export interface EntityProcessingProblems {
  errors: LocationError[];
  /** True on the page of the Location entity a location's read starts from: every error of the location is shown. */
  wholeLocation: boolean;
}

/**
 * The errors of the entity's location that concern this entity: those naming it (its newest
 * version refused, a conflicting definition elsewhere, a failed stitch), or all of them on the
 * Location entity the location's read starts from (a location that cannot be read at all has
 * nothing else to show them on). Errors already among the entity's status items are left out,
 * since the status banner shows those.
 */
export function processingProblemsOf(entity: Entity, location: LocationStatus): EntityProcessingProblems {
  const self = stringifyEntityRef(entity);
  const wholeLocation =
    entity.kind.toLowerCase() === 'location' && entity.metadata.annotations?.[ANNOTATION_LOCATION] === `${location.type}:${location.target}`;
  const shown = new Set((entity.status?.items ?? []).map((item) => (item.error && typeof item.error.message === 'string' ? item.error.message : item.message)));
  const errors = location.errors.filter((e) => (wholeLocation || e.entityRef === self) && !shown.has(e.message));
  return { errors, wholeLocation };
}

/** Where an error is, as `file:line:column` (or just the file). */
export function errorPlace(error: LocationError): string | undefined {
  if (!error.file) return undefined;
  return `${error.file}${error.line ? `:${error.line}${error.column ? `:${error.column}` : ''}` : ''}`;
}

/** The panel itself, given the problems (see EntityProcessingErrors for the data). */
export function ProcessingErrorsPanel(props: { problems: EntityProcessingProblems; self: string }) {
  const { errors, wholeLocation } = props.problems;
  if (errors.length === 0) return null;
  const title = wholeLocation
    ? `This location has ${errors.length === 1 ? 'an error' : `${errors.length} errors`}`
    : errors.length === 1
      ? 'Entity processing error'
      : `${errors.length} entity processing errors`;
  return (
    <section aria-label="Entity processing errors">
      <Alert color="red" variant="light" title={title} icon={<IconAlertTriangle aria-hidden />}>
        <Stack gap={6}>
          <Text size="sm">
            {wholeLocation
              ? 'The catalog read this location with problems; what it yields may be missing or out of date.'
              : 'The catalog could not take the latest definition of this entity; what is shown may be out of date or missing.'}{' '}
            Fix the file and refresh. All locations and their errors are on the{' '}
            <Anchor component={Link} to="/catalog/locations" size="sm" c="inherit" underline="always">
              Locations page
            </Anchor>
            .
          </Text>
          <List size="sm" spacing={4}>
            {errors.map((error, index) => (
              <List.Item key={index}>
                <Text size="sm" fw={600} span>
                  {error.name}
                </Text>
                {errorPlace(error) && (
                  <Code ml={6} style={{ overflowWrap: 'anywhere' }}>
                    {errorPlace(error)}
                  </Code>
                )}
                {error.field && (
                  <Text size="sm" span c="dimmed" ml={6}>
                    field {error.field}
                  </Text>
                )}
                {wholeLocation && error.entityRef && error.entityRef !== props.self && (
                  <Text size="sm" span c="dimmed" ml={6}>
                    entity {error.entityRef}
                  </Text>
                )}
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {error.message}
                </Text>
              </List.Item>
            ))}
          </List>
        </Stack>
      </Alert>
    </section>
  );
}

/** The status of the location that provides an entity; null when no location does (an orphan). */
function useLocationStatusOf(entity: Entity) {
  const ref = { kind: entity.kind, namespace: entity.metadata.namespace ?? 'default', name: entity.metadata.name };
  return useQuery({
    queryKey: [...catalogKeys.locations, 'by-entity', stringifyEntityRef(ref)],
    queryFn: async ({ signal }): Promise<LocationStatus | null> => {
      try {
        const location = await api.getLocationByEntity(ref, { signal });
        return await api.getLocationStatus(location.id, { signal });
      } catch (e) {
        if (isApiError(e) && e.status === 404) return null;
        throw e;
      }
    },
    refetchInterval: LIVE_REFRESH_MS,
  });
}

/**
 * "Entity processing errors" on the entity page: what went wrong the last time the catalog
 * read this entity's location, as far as it concerns this entity. Nothing while loading, for
 * an orphan, or when the location could not be asked (the page itself stays usable).
 */
export function EntityProcessingErrors(props: { entity: Entity }) {
  const status = useLocationStatusOf(props.entity);
  if (!status.data) return null;
  return <ProcessingErrorsPanel problems={processingProblemsOf(props.entity, status.data)} self={stringifyEntityRef(props.entity)} />;
}
