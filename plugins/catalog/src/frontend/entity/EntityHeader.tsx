import {
  ANNOTATION_EDIT_URL,
  ANNOTATION_SOURCE_LOCATION,
  ANNOTATION_VIEW_URL,
  parseLocationRef,
  REJECTED_ANNOTATION_URL,
  stringifyEntityRef,
  type Entity,
} from '@atrium/catalog-model';
import { EntityRefLink } from '@atrium/ui';
import { Anchor, Box, Breadcrumbs, Button, Group, Stack, Text, Title } from '@mantine/core';
import { IconCode, IconPencil } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { LifecycleBadge, TagList } from '../components/EntityBadges';
import { entityDisplayName, entityType, relationTargets, specString } from '../components/entityDisplay';
import { KindIcon } from '../components/KindIcon';
import { pluralKind } from '../components/kindLabels';
import { EntityActionsMenu } from './EntityActionsMenu';
import { EntityHeaderActions } from './EntityHeaderActions';

/** Where "view source" and "edit" lead, from the entity's annotations; only http(s) URLs are offered. */
export function sourceLinks(entity: Entity): { viewUrl?: string; editUrl?: string } {
  const annotations = entity.metadata.annotations ?? {};
  const safe = (url: string | undefined) => (url && /^https?:\/\//i.test(url) && url !== REJECTED_ANNOTATION_URL ? url : undefined);
  let source: string | undefined;
  const sourceLocation = annotations[ANNOTATION_SOURCE_LOCATION];
  if (sourceLocation) {
    try {
      const parsed = parseLocationRef(sourceLocation);
      if (parsed.type === 'url') source = parsed.target;
    } catch {
      source = undefined;
    }
  }
  const viewUrl = safe(annotations[ANNOTATION_VIEW_URL]) ?? safe(source);
  const editUrl = safe(annotations[ANNOTATION_EDIT_URL]);
  return { ...(viewUrl ? { viewUrl } : {}), ...(editUrl ? { editUrl } : {}) };
}

/** Title, kind, type, owner, lifecycle, tags, source links and actions of an entity. */
export function EntityHeader(props: { entity: Entity; onUnregister: () => void }) {
  const { entity } = props;
  const name = entityDisplayName(entity);
  const type = entityType(entity);
  const lifecycle = specString(entity, 'lifecycle');
  const owners = relationTargets(entity, 'ownedBy');
  const { viewUrl, editUrl } = sourceLinks(entity);
  const ref = stringifyEntityRef(entity);

  return (
    <Stack gap="xs">
      <Box component="nav" aria-label="Breadcrumb">
        <Breadcrumbs separatorMargin={6}>
          <Anchor component={Link} to="/catalog" size="sm">
            Catalog
          </Anchor>
          <Anchor component={Link} to={`/catalog?kind=${encodeURIComponent(entity.kind.toLowerCase())}`} size="sm">
            {pluralKind(entity.kind).replace(/^./, (c) => c.toUpperCase())}
          </Anchor>
          <Text size="sm" c="dimmed" aria-current="page">
            {entity.metadata.name}
          </Text>
        </Breadcrumbs>
      </Box>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Box maw="100%" style={{ minWidth: 0 }}>
          <Group gap="xs" wrap="nowrap" align="center">
            <KindIcon kind={entity.kind} size={28} />
            <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
              {name}
            </Title>
          </Group>
          <Text size="sm" c="dimmed" ff="monospace" mt={2}>
            {ref}
          </Text>
        </Box>
        <Group gap="xs">
          {viewUrl && (
            <Button component="a" href={viewUrl} target="_blank" rel="noreferrer" variant="default" size="sm" leftSection={<IconCode size={16} aria-hidden />}>
              View source
            </Button>
          )}
          {editUrl && (
            <Button
              component="a"
              href={editUrl}
              target="_blank"
              rel="noreferrer"
              variant="default"
              size="sm"
              leftSection={<IconPencil size={16} aria-hidden />}
            >
              Edit
            </Button>
          )}
          <EntityHeaderActions entity={entity} />
          <EntityActionsMenu entity={entity} onUnregister={props.onUnregister} />
        </Group>
      </Group>
      <Group gap="lg" wrap="wrap" component="dl" m={0}>
        <HeaderFact label="Kind">{entity.kind}</HeaderFact>
        {type && <HeaderFact label="Type">{type}</HeaderFact>}
        {owners.length > 0 && (
          <HeaderFact label="Owner">
            {owners.map((owner, i) => (
              <span key={owner}>
                {i > 0 && ', '}
                <EntityRefLink entityRef={owner} defaultKind="group" size="sm" />
              </span>
            ))}
          </HeaderFact>
        )}
        {lifecycle && (
          <HeaderFact label="Lifecycle">
            <LifecycleBadge lifecycle={lifecycle} />
          </HeaderFact>
        )}
        {(entity.metadata.tags?.length ?? 0) > 0 && (
          <HeaderFact label="Tags">
            <TagList tags={entity.metadata.tags ?? []} />
          </HeaderFact>
        )}
      </Group>
    </Stack>
  );
}

function HeaderFact(props: { label: string; children: ReactNode }) {
  return (
    <Group gap={6} wrap="nowrap" align="center">
      <Text component="dt" size="xs" tt="uppercase" fw={700} c="dimmed">
        {props.label}
      </Text>
      <Box component="dd" m={0} fz="sm">
        {props.children}
      </Box>
    </Group>
  );
}
