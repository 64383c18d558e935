import '@xyflow/react/dist/style.css';
import { entityRoutePath, ErrorState, humanizeEntityRef, LoadingState } from '@atrium/ui';
import { Anchor, Group, Table, Text, useComputedColorScheme } from '@mantine/core';
import { Background, Controls, MarkerType, ReactFlow, type Edge } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { humanizeRelation } from '../entity/relationCards';
import type { RelationGraphData } from './buildGraph';
import { EntityNode, type EntityFlowNode } from './EntityNode';
import { layoutGraph, type GraphDirection } from './layout';
import classes from './RelationGraph.module.css';

const nodeTypes = { entity: EntityNode };
/** Past this many edges their labels overlap into noise; the list under the graph still names every relation. */
const MAX_LABELLED_EDGES = 24;

/**
 * Draws a relation graph laid out by ELK. Nodes navigate to their entity on click (or via the
 * link inside them from the keyboard). The same relations follow as a table for screen
 * readers and for copying.
 */
export function RelationGraph(props: { data: RelationGraphData; direction: GraphDirection; label: string }) {
  const { data, direction } = props;
  const navigate = useNavigate();
  const colorMode = useComputedColorScheme('light');
  const [layout, setLayout] = useState<{ positions: Map<string, { x: number; y: number }>; data: RelationGraphData; direction: GraphDirection }>();
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    layoutGraph(data, direction).then(
      (positions) => !cancelled && setLayout({ positions, data, direction }),
      (reason: unknown) => !cancelled && setError(reason),
    );
    return () => {
      cancelled = true;
    };
  }, [data, direction]);

  const nodes = useMemo<EntityFlowNode[]>(
    () =>
      layout
        ? layout.data.nodes.map((node) => ({
            id: node.id,
            type: 'entity',
            position: layout.positions.get(node.id) ?? { x: 0, y: 0 },
            data: { ...node, direction: layout.direction },
            draggable: false,
            connectable: false,
            selectable: false,
            focusable: false,
          }))
        : [],
    [layout],
  );
  const edges = useMemo<Edge[]>(
    () =>
      (layout?.data.edges ?? []).map((edge, _index, all) => ({
        id: edge.id,
        source: edge.source,
        target: edge.target,
        ...(all.length <= MAX_LABELLED_EDGES ? { label: humanizeRelation(edge.relation).toLowerCase() } : {}),
        markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
        labelBgPadding: [4, 2],
        labelBgBorderRadius: 4,
        focusable: false,
        selectable: false,
      })),
    [layout],
  );

  if (error) return <ErrorState error={error} title="Could not lay out the graph" />;
  if (!layout) return <LoadingState label="Laying out the graph…" />;
  return (
    <>
      <div className={classes.canvas} role="figure" aria-label={props.label}>
        <ReactFlow
          key={layout.direction}
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          colorMode={colorMode}
          fitView
          fitViewOptions={{ padding: 0.15, maxZoom: 1.2 }}
          minZoom={0.1}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          onNodeClick={(_event, node) => {
            const href = node.data.unresolved ? undefined : entityRoutePath(node.id);
            if (href) void navigate(href);
          }}
        >
          <Background gap={20} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
      <RelationList data={layout.data} />
    </>
  );
}

/** The graph's relations as a table, behind a disclosure. */
function RelationList(props: { data: RelationGraphData }) {
  const byId = new Map(props.data.nodes.map((n) => [n.id, n]));
  const cell = (ref: string) => {
    const node = byId.get(ref);
    const label = node?.title ?? humanizeEntityRef(ref);
    const href = node && !node.unresolved ? entityRoutePath(ref) : undefined;
    return href ? (
      <Anchor component={Link} to={href} size="sm">
        {label}
      </Anchor>
    ) : (
      <Text span size="sm" c="dimmed">
        {label} (not in catalog)
      </Text>
    );
  };
  return (
    <details>
      <summary>
        <Text span size="sm" fw={600}>
          Relations as a list ({props.data.edges.length})
        </Text>
      </summary>
      <Table mt="xs" verticalSpacing={4} aria-label="Relations in the graph">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>From</Table.Th>
            <Table.Th>Relation</Table.Th>
            <Table.Th>To</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.data.edges.map((edge) => (
            <Table.Tr key={edge.id}>
              <Table.Td>{cell(edge.source)}</Table.Td>
              <Table.Td fz="sm">{humanizeRelation(edge.relation).toLowerCase()}</Table.Td>
              <Table.Td>{cell(edge.target)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </details>
  );
}

/** The legend under a graph. */
export function GraphLegend() {
  return (
    <Group gap="lg">
      <Text size="xs" c="dimmed">
        <span className={classes.legend} data-kind="root" aria-hidden />
        This entity
      </Text>
      <Text size="xs" c="dimmed">
        <span className={classes.legend} data-kind="unresolved" aria-hidden />
        Referenced but not in the catalog
      </Text>
      <Text size="xs" c="dimmed">
        Click an entity to open it.
      </Text>
    </Group>
  );
}
