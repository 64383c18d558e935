import { ANNOTATION_LOCATION, ANNOTATION_SOURCE_LOCATION, parseLocationRef, type Entity } from '@atrium/catalog-model';
import { EntityRefLinks, SectionCard } from '@atrium/ui';
import { Anchor, Code } from '@mantine/core';
import type { ReactNode } from 'react';
import { LifecycleBadge, TagList } from '../components/EntityBadges';
import { entityType, relationTargets, specString } from '../components/entityDisplay';
import { FactList, NoValue, type Fact } from '../components/FactList';

/** A location ref as a link when it is a URL, as code otherwise. */
export function LocationValue(props: { locationRef: string }) {
  let parsed: { type: string; target: string } | undefined;
  try {
    parsed = parseLocationRef(props.locationRef);
  } catch {
    parsed = undefined;
  }
  if (parsed && parsed.type === 'url' && /^https?:\/\//.test(parsed.target)) {
    return (
      <Anchor href={parsed.target} target="_blank" rel="noreferrer" size="sm">
        {parsed.target}
      </Anchor>
    );
  }
  return <Code style={{ overflowWrap: 'anywhere' }}>{props.locationRef}</Code>;
}

/** The facts about an entity: description, ownership, where it belongs, where it comes from. */
export function AboutCard(props: { entity: Entity }) {
  const { entity } = props;
  const annotations = entity.metadata.annotations ?? {};
  const namespace = entity.metadata.namespace ?? 'default';
  const refs = (relation: string, defaultKind: string, empty?: ReactNode) => (
    <EntityRefLinks
      entityRefs={relationTargets(entity, relation)}
      defaultKind={defaultKind}
      defaultNamespace={namespace}
      size="sm"
      empty={empty ?? <NoValue />}
    />
  );
  const kind = entity.kind.toLowerCase();
  const facts: Fact[] = [{ label: 'Description', value: entity.metadata.description ?? <NoValue>No description</NoValue>, wide: true }];
  if (!['user', 'group', 'location'].includes(kind)) facts.push({ label: 'Owner', value: refs('ownedBy', 'group', <NoValue>No owner</NoValue>) });
  if (['component', 'api', 'resource'].includes(kind)) {
    const parts = relationTargets(entity, 'partOf');
    facts.push({
      label: kind === 'component' && parts.some((p) => p.startsWith('component:')) ? 'Part of' : 'System',
      value: refs('partOf', 'system'),
    });
  }
  if (kind === 'system') facts.push({ label: 'Domain', value: refs('partOf', 'domain') });
  if (kind === 'domain') facts.push({ label: 'Parent domain', value: refs('partOf', 'domain') });
  const type = entityType(entity);
  if (type) facts.push({ label: 'Type', value: type });
  const lifecycle = specString(entity, 'lifecycle');
  if (lifecycle) facts.push({ label: 'Lifecycle', value: <LifecycleBadge lifecycle={lifecycle} /> });
  facts.push({ label: 'Tags', value: entity.metadata.tags?.length ? <TagList tags={entity.metadata.tags} /> : <NoValue>No tags</NoValue> });
  if (namespace !== 'default') facts.push({ label: 'Namespace', value: namespace });
  if (annotations[ANNOTATION_SOURCE_LOCATION]) facts.push({ label: 'Source', value: <LocationValue locationRef={annotations[ANNOTATION_SOURCE_LOCATION]} /> });
  if (annotations[ANNOTATION_LOCATION])
    facts.push({ label: 'Descriptor', value: <LocationValue locationRef={annotations[ANNOTATION_LOCATION]} />, wide: true });

  return (
    <SectionCard title="About">
      <FactList facts={facts} />
    </SectionCard>
  );
}
