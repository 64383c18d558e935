import { usePermission } from '@atrium/frontend-plugin-api';
import { DataTable, EmptyState, LoadingState, PageLayout, QueryBoundary, SectionCard, StatusBadge, type DataTableColumn } from '@atrium/ui';
import { Badge, Code, Group, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconLock, IconSearch, IconUserSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { decisionLabel, permissionRows, type DecisionFilter, type PermissionRow } from './permissionRows';
import { useExplainUser, usePermissionCatalogue, useUserSearch } from './permissionsApi';
import { TargetCheck } from './PermissionTargetCheck';

const GUEST = { value: 'guest', label: 'Guest (not signed in)' };

/** The admin page at /permissions: for a chosen user, every permission's decision and the policy rule that made it. */
export default function PermissionsPage() {
  const explain = usePermission('permission.explain');
  return (
    <PageLayout
      title="Permissions"
      subtitle={
        <>
          What a user may do under <Code>permission.policy</Code>, and the rule that decides each permission. Deny rules win over allow rules.
        </>
      }
    >
      {explain.loading ? (
        <LoadingState label="Checking your access…" />
      ) : !explain.allowed ? (
        <EmptyState
          icon={<IconLock aria-hidden />}
          title="Administrators only"
          description="Explaining other users' permissions needs the permission.explain permission, which the policy gives to administrators."
        />
      ) : (
        <ExplainView />
      )}
    </PageLayout>
  );
}

function ExplainView() {
  const [params, setParams] = useSearchParams();
  const user = params.get('user') ?? undefined;
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const users = useUserSearch(debounced);
  const [decision, setDecision] = useState<DecisionFilter>('all');
  const [text, setText] = useState('');
  const explained = useExplainUser(user);
  const catalogue = usePermissionCatalogue();

  const options = useMemo(() => {
    const list = [GUEST, ...(users.data ?? [])];
    if (user && !list.some((o) => o.value === user)) list.push({ value: user, label: user });
    return list;
  }, [users.data, user]);
  const rows = useMemo(
    () => permissionRows(explained.data?.items ?? [], catalogue.data?.items, { decision, text }),
    [explained.data, catalogue.data, decision, text],
  );
  const counts = useMemo(() => {
    const items = explained.data?.items ?? [];
    return { allow: items.filter((i) => i.decision === 'allow').length, deny: items.filter((i) => i.decision === 'deny').length };
  }, [explained.data]);

  return (
    <Stack gap="lg">
      <Select
        label="User"
        description="A User entity from the catalog, or the guest"
        placeholder="Search users by name"
        searchable
        clearable
        data={options}
        value={user ?? null}
        searchValue={search}
        onSearchChange={setSearch}
        onChange={(value) => setParams(value ? { user: value } : {}, { replace: true })}
        nothingFoundMessage={users.isFetching ? 'Searching…' : 'No user matches'}
        leftSection={<IconUserSearch size={16} aria-hidden />}
        maw={520}
        filter={({ options: all }) => all}
      />
      {!user ? (
        <EmptyState
          icon={<IconUserSearch aria-hidden />}
          title="Choose a user"
          description="Pick a user to see each permission's decision and the policy rule behind it."
        />
      ) : (
        <>
          <SectionCard title="Decisions">
            <QueryBoundary
              query={explained}
              loadingLabel="Evaluating the policy for this user…"
              errorTitle="Could not explain this user's permissions"
              isEmpty={(data) => data.items.length === 0}
              empty={<EmptyState title="No permissions" description="The catalogue is empty: no installed plugin declares a permission." />}
            >
              {(data) => (
                <Stack gap="md">
                  <Group gap="xs" wrap="wrap" aria-label="Who this user is to the policy">
                    <Text size="sm" fw={600}>
                      {data.user}
                    </Text>
                    <Text size="sm" c="dimmed">
                      Roles:
                    </Text>
                    {data.roles.length ? (
                      data.roles.map((r) => (
                        <Badge key={r} variant="light">
                          {r}
                        </Badge>
                      ))
                    ) : (
                      <Text size="sm" c="dimmed">
                        none
                      </Text>
                    )}
                    <Text size="sm" c="dimmed" aria-hidden>
                      ·
                    </Text>
                    <Text size="sm" c="dimmed">
                      {counts.allow} allowed, {counts.deny} denied
                    </Text>
                  </Group>
                  {data.ownershipEntityRefs.length > 0 && (
                    <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                      Ownership: {data.ownershipEntityRefs.join(', ')}
                    </Text>
                  )}
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                    <TextInput
                      label="Filter"
                      placeholder="catalog.entity, owners, rule 4…"
                      leftSection={<IconSearch size={16} aria-hidden />}
                      value={text}
                      onChange={(e) => setText(e.currentTarget.value)}
                    />
                    <Stack gap={4}>
                      <Text size="sm" fw={500} id="decision-filter-label">
                        Decision
                      </Text>
                      <SegmentedControl
                        aria-labelledby="decision-filter-label"
                        value={decision}
                        onChange={(v) => setDecision(v as DecisionFilter)}
                        data={[
                          { value: 'all', label: `All (${data.items.length})` },
                          { value: 'allow', label: `Allowed (${counts.allow})` },
                          { value: 'deny', label: `Denied (${counts.deny})` },
                        ]}
                      />
                    </Stack>
                  </SimpleGrid>
                  {rows.length === 0 ? (
                    <EmptyState icon={<IconSearch aria-hidden />} title="No permission matches" description="Clear the filter or choose another decision." />
                  ) : (
                    <DataTable
                      label="Permission decisions"
                      rows={rows}
                      columns={COLUMNS}
                      rowKey={(r) => r.permission}
                      rowAttributes={(r) => ({ 'data-permission': r.permission })}
                      highlightOnHover
                    />
                  )}
                </Stack>
              )}
            </QueryBoundary>
          </SectionCard>
          <SectionCard title="Check a target">
            <TargetCheck user={user} catalogue={catalogue.data?.items ?? []} />
          </SectionCard>
        </>
      )}
    </Stack>
  );
}

const COLUMNS: Array<DataTableColumn<PermissionRow>> = [
  {
    id: 'permission',
    header: 'Permission',
    primary: true,
    cell: (r) => (
      <Stack gap={2}>
        <Text ff="monospace" size="sm" fw={600}>
          {r.permission}
        </Text>
        {r.description && (
          <Text size="xs" c="dimmed">
            {r.description}
          </Text>
        )}
      </Stack>
    ),
  },
  {
    id: 'decision',
    header: 'Decision',
    nowrap: true,
    cell: (r) => <StatusBadge status={r.decision} tone={r.decision === 'deny' ? 'danger' : r.conditional ? 'warning' : 'success'} label={decisionLabel(r)} />,
  },
  {
    id: 'rule',
    header: 'Why',
    cell: (r) => (
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {r.rule ?? r.reason ?? '—'}
      </Text>
    ),
  },
];
