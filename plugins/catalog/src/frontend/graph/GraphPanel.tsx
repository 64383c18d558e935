import { Alert, Stack, Text } from '@mantine/core';
import type { RelationGraphData } from './buildGraph';
import type { GraphDirection } from './layout';
import { GraphLegend, RelationGraph } from './RelationGraph';

/**
 * A collected graph as the entity tabs show it: a notice when the collection stopped at its
 * node limit, the legend, then the graph itself.
 */
export function GraphPanel(props: { data: RelationGraphData; direction: GraphDirection; label: string; truncatedNotice: string }) {
  return (
    <Stack gap="xs">
      {props.data.truncated && (
        <Alert color="yellow" variant="light" p="xs">
          <Text size="sm">{props.truncatedNotice}</Text>
        </Alert>
      )}
      <GraphLegend />
      <RelationGraph data={props.data} direction={props.direction} label={props.label} />
    </Stack>
  );
}
