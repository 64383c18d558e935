import type { LocationStatus } from '@atrium/plugin-catalog/common';
import { ErrorState } from '@atrium/ui';
import { Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { removeLocation } from '../api/catalogApi';
import { useInvalidateCatalog } from '../api/queries';

/** Confirms unregistering a location, saying how many entities go with it. */
export function RemoveLocationDialog(props: { location: LocationStatus; onClose: () => void }) {
  const { location } = props;
  const invalidate = useInvalidateCatalog();
  const remove = useMutation({
    mutationFn: () => removeLocation(location.id),
    onSuccess: async () => {
      props.onClose();
      await invalidate();
    },
  });
  return (
    <Modal opened onClose={props.onClose} title="Unregister this location?" size="lg">
      <Stack gap="md">
        <Text size="sm">
          Atrium stops reading <Code style={{ overflowWrap: 'anywhere' }}>{location.target}</Code> and removes the{' '}
          <strong>
            {location.entityCount} {location.entityCount === 1 ? 'entity' : 'entities'}
          </strong>{' '}
          it provides from the catalog. The repository itself is not changed; you can register it again later.
        </Text>
        {remove.error ? <ErrorState error={remove.error} title="Could not unregister" /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
            Unregister location
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
