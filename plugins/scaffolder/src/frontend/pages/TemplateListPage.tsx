import { permissionDeniedText, usePermission } from '@atrium/frontend-plugin-api';
import { EmptyState, EntityRefLink, PageLayout, QueryBoundary } from '@atrium/ui';
import { Badge, Button, Card, Group, MultiSelect, Select, SimpleGrid, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconBell, IconListCheck, IconPencil, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useTemplates, type TemplateEntity } from '../api';
import { refOf, templatePath } from '../refs';

/** /create: the templates in the catalog, filtered by tags, owner and type, searchable. */
export default function TemplateListPage() {
  const query = useTemplates();
  const [search, setSearch] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [owner, setOwner] = useState<string | null>(null);
  const [type, setType] = useState<string | null>(null);

  return (
    <PageLayout
      title="Create something new"
      subtitle="Pick a software template: fill in its form and Atrium creates the repository, registers it in the catalog and more."
      actions={
        <>
          <Button component={Link} to="/create/tasks" variant="default" leftSection={<IconListCheck size={16} aria-hidden />}>
            Task list
          </Button>
          <Button component={Link} to="/create/edit" variant="default" leftSection={<IconPencil size={16} aria-hidden />}>
            Template editor
          </Button>
          <Button component={Link} to="/notifications?source=scaffolder" variant="default" leftSection={<IconBell size={16} aria-hidden />}>
            Notifications
          </Button>
        </>
      }
    >
      <QueryBoundary
        query={query}
        loadingLabel="Loading templates…"
        errorTitle="Could not load templates"
        isEmpty={(d) => d.length === 0}
        empty={
          <EmptyState
            title="No templates yet"
            description="Templates are catalog entities of kind Template. Register a location that contains one (for example catalog-examples/templates) on the Register page."
            action={
              <Button component={Link} to="/catalog-import">
                Register a template
              </Button>
            }
          />
        }
      >
        {(templates) => (
          <TemplateGrid
            templates={templates}
            search={search}
            setSearch={setSearch}
            tags={tags}
            setTags={setTags}
            owner={owner}
            setOwner={setOwner}
            type={type}
            setType={setType}
          />
        )}
      </QueryBoundary>
    </PageLayout>
  );
}

function TemplateGrid(props: {
  templates: TemplateEntity[];
  search: string;
  setSearch(v: string): void;
  tags: string[];
  setTags(v: string[]): void;
  owner: string | null;
  setOwner(v: string | null): void;
  type: string | null;
  setType(v: string | null): void;
}) {
  const { templates } = props;
  const allTags = useMemo(() => [...new Set(templates.flatMap((t) => t.metadata.tags ?? []))].sort(), [templates]);
  const owners = useMemo(() => [...new Set(templates.map((t) => t.spec.owner).filter((o): o is string => !!o))].sort(), [templates]);
  const types = useMemo(() => [...new Set(templates.map((t) => t.spec.type).filter((o): o is string => !!o))].sort(), [templates]);
  const term = props.search.trim().toLowerCase();
  const shown = templates.filter(
    (t) =>
      (!term || [t.metadata.name, t.metadata.title, t.metadata.description, ...(t.metadata.tags ?? [])].some((s) => s?.toLowerCase().includes(term))) &&
      props.tags.every((tag) => t.metadata.tags?.includes(tag)) &&
      (!props.owner || t.spec.owner === props.owner) &&
      (!props.type || t.spec.type === props.type),
  );
  return (
    <Stack>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Name, description or tag"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={props.search}
          onChange={(e) => props.setSearch(e.currentTarget.value)}
          w={{ base: '100%', xs: 280 }}
        />
        <MultiSelect
          label="Tags"
          data={allTags}
          value={props.tags}
          onChange={props.setTags}
          clearable
          searchable
          w={{ base: '100%', xs: 240 }}
          placeholder="Any"
        />
        <Select label="Owner" data={owners} value={props.owner} onChange={props.setOwner} clearable w={{ base: '100%', xs: 220 }} placeholder="Any" />
        <Select label="Type" data={types} value={props.type} onChange={props.setType} clearable w={{ base: '100%', xs: 180 }} placeholder="Any" />
      </Group>
      {shown.length === 0 ? (
        <EmptyState title="No template matches" description="Clear the search or the filters to see every template." />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {shown.map((t) => (
            <TemplateCard key={refOf(t)} template={t} />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

function TemplateCard({ template: t }: { template: TemplateEntity }) {
  const path = templatePath(refOf(t)) ?? '/create';
  const canRun = usePermission({ permission: 'scaffolder.task.create', resourceRef: refOf(t) });
  const denied = permissionDeniedText(canRun, 'run this template');
  return (
    <Card withBorder padding="lg" radius="md" data-testid={`template-card-${t.metadata.name}`}>
      <Stack gap="xs" h="100%">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} size="h4" style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
            {t.metadata.title ?? t.metadata.name}
          </Title>
          {t.spec.type && (
            <Badge variant="light" style={{ flexShrink: 0 }}>
              {t.spec.type}
            </Badge>
          )}
        </Group>
        <Text size="sm" c="dimmed" style={{ flex: 1 }}>
          {t.metadata.description ?? 'No description.'}
        </Text>
        {(t.metadata.tags?.length ?? 0) > 0 && (
          <Group gap={4}>
            {t.metadata.tags!.map((tag) => (
              <Badge key={tag} size="xs" variant="outline">
                {tag}
              </Badge>
            ))}
          </Group>
        )}
        <Group justify="space-between" mt="xs" wrap="nowrap">
          {t.spec.owner ? <EntityRefLink entityRef={t.spec.owner} defaultKind="group" /> : <span />}
          {canRun.allowed ? (
            <Button component={Link} to={path} size="xs" aria-label={`Choose ${t.metadata.title ?? t.metadata.name}`}>
              Choose
            </Button>
          ) : (
            <Tooltip label={denied ?? 'Checking whether you may run it…'} multiline w={260}>
              <Button
                size="xs"
                disabled
                aria-label={`Choose ${t.metadata.title ?? t.metadata.name}`}
                aria-description={denied}
                // A disabled button gets no pointer events; the tooltip needs them.
                style={{ pointerEvents: 'auto' }}
              >
                Choose
              </Button>
            </Tooltip>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
