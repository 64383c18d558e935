import { ANNOTATION_ORPHAN, stringifyEntityRef, type Entity, type EntityStatusItem } from '@atrium/catalog-model';
import { usePermission } from '@atrium/frontend-plugin-api';
import { Alert, Button, List, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconUnlink } from '@tabler/icons-react';

/** Status items worth a banner: errors first, then warnings. */
export function statusProblems(entity: Entity): { errors: EntityStatusItem[]; warnings: EntityStatusItem[] } {
  const items = entity.status?.items ?? [];
  return {
    errors: items.filter((item) => item.level === 'error'),
    warnings: items.filter((item) => item.level === 'warning'),
  };
}

/** Processing errors, warnings (such as relations to entities not in the catalog) and orphan status. */
export function EntityStatusBanner(props: { entity: Entity; onDelete: () => void }) {
  const { errors, warnings } = statusProblems(props.entity);
  const orphan = props.entity.metadata.annotations?.[ANNOTATION_ORPHAN] === 'true';
  const canDelete = usePermission(orphan ? { permission: 'catalog.entity.delete', resourceRef: stringifyEntityRef(props.entity) } : undefined);
  if (errors.length === 0 && warnings.length === 0 && !orphan) return null;
  return (
    <Stack gap="xs">
      {errors.length > 0 && (
        <Alert
          role="alert"
          color="red"
          variant="light"
          title={errors.length === 1 ? 'Processing error' : `${errors.length} processing errors`}
          icon={<IconAlertTriangle aria-hidden />}
        >
          <Text size="sm" mb={4}>
            The catalog could not fully process this entity’s descriptor; what is shown may be out of date. Fix the file and refresh.
          </Text>
          <StatusList items={errors} />
        </Alert>
      )}
      {warnings.length > 0 && (
        <Alert
          color="yellow"
          variant="light"
          title={warnings.length === 1 ? 'Warning' : `${warnings.length} warnings`}
          icon={<IconAlertTriangle aria-hidden />}
        >
          <StatusList items={warnings} />
        </Alert>
      )}
      {orphan && (
        <Alert color="yellow" variant="light" title="This entity is an orphan" icon={<IconUnlink aria-hidden />}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm">The location that provided it no longer contains it, so it will not be updated any more. Delete it if it is gone for good.</Text>
            {canDelete.allowed && (
              <Button size="xs" color="red" variant="light" onClick={props.onDelete}>
                Delete entity…
              </Button>
            )}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}

function StatusList(props: { items: EntityStatusItem[] }) {
  return (
    <List size="sm" spacing={2}>
      {props.items.map((item, index) => (
        <List.Item key={index}>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {item.message}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}
