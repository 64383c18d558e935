import type { Entity } from '@atrium/catalog-model';
import { filterForEntity, useExtensions, type Contributed, type EntityCardExtension } from '@atrium/frontend-plugin-api';
import { PluginContent } from '@atrium/ui';
import { Grid, Stack } from '@mantine/core';
import { useMemo } from 'react';
import { useEntitiesByRefs } from '../api/queries';
import { GroupProfileCard } from '../org/GroupProfileCard';
import { MembersCard } from '../org/MembersCard';
import { OwnershipCard } from '../org/OwnershipCard';
import { UserProfileCard } from '../org/UserProfileCard';
import { AboutCard } from './AboutCard';
import { LinksCard } from './LinksCard';
import { RelationCard } from './RelationCard';
import { relationCardsFor } from './relationCards';

/** The overview tab: About, the kind's relation cards, and other plugins' cards (main column or side). */
export function OverviewTab(props: { entity: Entity }) {
  const { entity } = props;
  const kind = entity.kind.toLowerCase();
  const { entityCards } = useExtensions();
  const cards = useMemo(() => relationCardsFor(entity), [entity]);
  // One request for every entity the relation cards show.
  const related = useEntitiesByRefs(useMemo(() => cards.flatMap((c) => c.refs), [cards]));
  const pluginCards = filterForEntity(entityCards, entity);
  const main = pluginCards.filter((c) => c.area !== 'side');
  const side = pluginCards.filter((c) => c.area === 'side');

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 8 }}>
        <Stack gap="md">
          <AboutCard entity={entity} />
          {kind === 'group' && <MembersCard group={entity} />}
          {(kind === 'group' || kind === 'user') && <OwnershipCard entity={entity} />}
          {cards.map((card) => (
            <RelationCard key={card.id} card={card} entities={related.data} />
          ))}
          <PluginCards cards={main} entity={entity} />
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4 }}>
        <Stack gap="md">
          {kind === 'group' && <GroupProfileCard group={entity} />}
          {kind === 'user' && <UserProfileCard user={entity} />}
          <LinksCard entity={entity} />
          <PluginCards cards={side} entity={entity} />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

function PluginCards(props: { cards: Array<Contributed<EntityCardExtension>>; entity: Entity }) {
  return (
    <>
      {props.cards.map((card) => (
        <PluginContent key={`${card.pluginId}.${card.id}`} pluginId={card.pluginId} content={card} resetKey={props.entity.metadata.uid} compact />
      ))}
    </>
  );
}
