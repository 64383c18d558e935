import { ErrorState, StatusBadge } from '@atrium/ui';
import { Alert, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { decisionLabel } from './permissionRows';
import { explainOne, type CataloguePermission } from './permissionsApi';

/** Explains one permission for the chosen user against a target, e.g. catalog.entity.delete on component:default/orders. */
export function TargetCheck(props: { user: string; catalogue: readonly CataloguePermission[] }) {
  const [permission, setPermission] = useState<string | null>(null);
  const [resourceRef, setResourceRef] = useState('');
  const check = useMutation({ mutationFn: explainOne });
  const selected = props.catalogue.find((p) => p.name === permission);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!permission) return;
    check.mutate({ user: props.user, permission, ...(resourceRef.trim() ? { resourceRef: resourceRef.trim() } : {}) });
  };

  return (
    <form onSubmit={submit} aria-label="Check a permission on a target">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Conditions such as <code>isEntityOwner</code> or <code>lifecycle</code> decide only with a target. Name one to see this user&apos;s decision on it.
        </Text>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label="Permission"
            placeholder="catalog.entity.delete"
            searchable
            data={props.catalogue.map((p) => ({ value: p.name, label: p.name }))}
            value={permission}
            onChange={setPermission}
            w={300}
          />
          <TextInput
            label="Target"
            placeholder={selected?.resourceType === 'catalog-entity' || !selected ? 'component:default/orders' : 'no target for this permission'}
            value={resourceRef}
            onChange={(e) => setResourceRef(e.currentTarget.value)}
            w={320}
          />
          <Button type="submit" disabled={!permission} loading={check.isPending}>
            Explain
          </Button>
        </Group>
        {check.error ? <ErrorState error={check.error} title="Could not explain" /> : null}
        {check.data && (
          <Alert
            color={check.data.decision === 'allow' ? 'green' : 'red'}
            variant="light"
            role="status"
            title={<StatusBadge status={check.data.decision} tone={check.data.decision === 'allow' ? 'success' : 'danger'} label={decisionLabel(check.data)} />}
          >
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              {check.data.rule ?? check.data.reason}
            </Text>
          </Alert>
        )}
      </Stack>
    </form>
  );
}
