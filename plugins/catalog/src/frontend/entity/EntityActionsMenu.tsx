import { stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import { permissionDeniedText, usePermissions } from '@atrium/frontend-plugin-api';
import { errorMessage } from '@atrium/ui';
import { ActionIcon, Menu, Text, Tooltip } from '@mantine/core';
import { useClipboard } from '@mantine/hooks';
import { IconCopy, IconDots, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { refreshEntity } from '../api/catalogApi';
import { useInvalidateCatalog } from '../api/queries';

/**
 * Refresh, copy the ref, unregister: the entity page's secondary actions. Unregister shows only
 * to callers the policy lets delete this entity; Refresh is disabled, with the reason, for others.
 */
export function EntityActionsMenu(props: { entity: Entity; onUnregister: () => void }) {
  const ref = stringifyEntityRef(props.entity);
  const [canDelete, canRefresh] = usePermissions([
    { permission: 'catalog.entity.delete', resourceRef: ref },
    { permission: 'catalog.entity.refresh', resourceRef: ref },
  ]);
  const refreshDenied = canRefresh ? permissionDeniedText(canRefresh, 'refresh this entity') : undefined;
  const clipboard = useClipboard({ timeout: 2000 });
  const invalidate = useInvalidateCatalog();
  const refresh = useMutation({
    mutationFn: () => refreshEntity(ref),
    onSuccess: () => invalidate(),
  });
  const status = refresh.isPending
    ? 'Refreshing…'
    : refresh.isError
      ? `Refresh failed: ${errorMessage(refresh.error)}`
      : refresh.isSuccess
        ? 'Refreshed from its source.'
        : clipboard.copied
          ? 'Entity reference copied.'
          : '';
  return (
    <>
      <Text size="sm" c={refresh.isError ? 'red' : 'dimmed'} role="status" aria-live="polite" style={{ alignSelf: 'center' }}>
        {status}
      </Text>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="default" size="lg" aria-label="More actions">
            <IconDots size={18} aria-hidden />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Tooltip label={refreshDenied} disabled={!refreshDenied} multiline w={280} position="left" withinPortal>
            <div>
              <Menu.Item
                leftSection={<IconRefresh size={16} aria-hidden />}
                onClick={() => refresh.mutate()}
                disabled={refresh.isPending || !canRefresh?.allowed}
                aria-description={refreshDenied}
              >
                Refresh from source
              </Menu.Item>
            </div>
          </Tooltip>
          <Menu.Item leftSection={<IconCopy size={16} aria-hidden />} onClick={() => clipboard.copy(ref)}>
            Copy entity reference
          </Menu.Item>
          {canDelete?.allowed && (
            <>
              <Menu.Divider />
              <Menu.Item color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={props.onUnregister}>
                Unregister entity…
              </Menu.Item>
            </>
          )}
        </Menu.Dropdown>
      </Menu>
    </>
  );
}
