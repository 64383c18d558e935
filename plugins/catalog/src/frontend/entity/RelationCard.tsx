import type { Entity } from '@atrium/catalog-model';
import { SectionCard } from '@atrium/ui';
import { Badge, Button, Text } from '@mantine/core';
import { useState } from 'react';
import { RelatedEntitiesTable } from '../components/RelatedEntitiesTable';
import type { RelationCardSpec } from './relationCards';

const INITIAL_ROWS = 25;

/** One relation card: its related entities, or what to do when there are none. */
export function RelationCard(props: { card: RelationCardSpec; entities: ReadonlyMap<string, Entity | null> | undefined }) {
  const { card } = props;
  const [showAll, setShowAll] = useState(false);
  const refs = showAll ? card.refs : card.refs.slice(0, INITIAL_ROWS);
  return (
    <SectionCard
      title={card.title}
      actions={
        <Badge variant="default" radius="sm" aria-label={`${card.refs.length} entities`}>
          {card.refs.length}
        </Badge>
      }
    >
      {card.refs.length === 0 ? (
        <Text size="sm" c="dimmed">
          {card.emptyText}
        </Text>
      ) : (
        <>
          <RelatedEntitiesTable refs={refs} entities={props.entities} label={card.title} />
          {card.refs.length > refs.length && (
            <Button variant="subtle" size="xs" onClick={() => setShowAll(true)}>
              Show all {card.refs.length}
            </Button>
          )}
        </>
      )}
    </SectionCard>
  );
}
