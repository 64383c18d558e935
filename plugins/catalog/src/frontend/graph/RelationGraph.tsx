import '@xyflow/react/dist/style.css';
import { DataTable, entityRoutePath, ErrorState, humanizeEntityRef, LoadingState, useElementWidth } from '@atrium/ui';
import { Anchor, Box, Group, Text, useComputedColorScheme } from '@mantine/core';
import { useViewportSize } from '@mantine/hooks';
import { Background, Controls, MarkerType, ReactFlow, useReactFlow, useStore, type Edge } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { humanizeRelation } from '../entity/relationCards';
import type { RelationGraphData } from './buildGraph';
import { EntityNode, type EntityFlowNode } from './EntityNode';
import type { Positioned } from './gridLayout';
import { chooseLayout, FIT_PADDING, layoutGraph, MAX_FIT_ZOOM, type GraphDirection } from './layout';
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
  const [frameRef, frameWidth] = useElementWidth<HTMLDivElement>();
  const { height: windowHeight } = useViewportSize();
  const [layered, setLayered] = useState<{ result: Positioned; data: RelationGraphData; direction: GraphDirection }>();
  // A failure belongs to the graph it was for: a new graph or direction clears it.
  const [failure, setFailure] = useState<{ reason: unknown; data: RelationGraphData; direction: GraphDirection }>();
  const error = failure && failure.data === data && failure.direction === direction ? failure.reason : null;

  useEffect(() => {
    let cancelled = false;
    layoutGraph(data, direction).then(
      (result) => !cancelled && setLayered({ result, data, direction }),
      (reason: unknown) => !cancelled && setFailure({ reason, data, direction }),
    );
    return () => {
      cancelled = true;
    };
  }, [data, direction]);

  // The canvas is as wide as the page allows and as tall as the drawing needs, up to most of
  // the window, so a big graph is not squeezed into a letterbox.
  const layout = useMemo(() => {
    if (!layered || !frameWidth) return undefined;
    const maxHeight = Math.max(MIN_CANVAS_HEIGHT, Math.min((windowHeight || 800) - 120, MAX_CANVAS_HEIGHT));
    const chosen = chooseLayout(layered.data, layered.direction, layered.result, { width: frameWidth - 2, minHeight: MIN_CANVAS_HEIGHT, maxHeight });
    return { ...chosen, data: layered.data, direction: layered.direction };
  }, [layered, frameWidth, windowHeight]);

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
  // Pointing at a node brings out its relations and fades the rest: in a big graph the
  // edges of one node are otherwise lost among a hundred others.
  const [hovered, setHovered] = useState<string>();
  const edges = useMemo<Edge[]>(
    () =>
      (layout?.data.edges ?? []).map((edge, _index, all) => {
        const touches = hovered !== undefined && (edge.source === hovered || edge.target === hovered);
        const labelled = all.length <= MAX_LABELLED_EDGES || touches;
        return {
          id: edge.id,
          source: edge.source,
          target: edge.target,
          ...(labelled ? { label: humanizeRelation(edge.relation).toLowerCase() } : {}),
          markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
          labelBgPadding: [4, 2] as [number, number],
          labelBgBorderRadius: 4,
          focusable: false,
          selectable: false,
          zIndex: touches ? 1 : 0,
          className: hovered === undefined ? undefined : touches ? classes.edgeActive : classes.edgeFaded,
        };
      }),
    [layout, hovered],
  );

  if (error) return <ErrorState error={error} title="Could not lay out the graph" />;
  return (
    <>
      <div ref={frameRef}>
        {!layout ? (
          <LoadingState label="Laying out the graph…" />
        ) : (
          <div className={classes.canvas} style={{ height: layout.height }} role="figure" aria-label={props.label} data-layout={layout.kind}>
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              colorMode={colorMode}
              fitView
              fitViewOptions={FIT_VIEW_OPTIONS}
              minZoom={0.05}
              maxZoom={2}
              nodesDraggable={false}
              nodesConnectable={false}
              elementsSelectable={false}
              nodesFocusable={false}
              edgesFocusable={false}
              onNodeMouseEnter={(_event, node) => setHovered(node.id)}
              onNodeMouseLeave={() => setHovered(undefined)}
              onNodeClick={(_event, node) => {
                const href = node.data.unresolved ? undefined : entityRoutePath(node.id);
                if (href) void navigate(href);
              }}
            >
              <FitOnChange layout={layout} />
              <Background gap={20} size={1} />
              <Controls showInteractive={false} fitViewOptions={FIT_VIEW_OPTIONS} />
            </ReactFlow>
          </div>
        )}
      </div>
      {layout && <RelationList data={layout.data} />}
    </>
  );
}

const FIT_VIEW_OPTIONS = { padding: FIT_PADDING, maxZoom: MAX_FIT_ZOOM } as const;
const MIN_CANVAS_HEIGHT = 320;
const MAX_CANVAS_HEIGHT = 1000;

/**
 * Fits the whole drawing into view whenever it changes (another depth, other relations) and
 * whenever the canvas changes size (its height follows the drawing, and the window may be
 * resized). React Flow's own `fitView` prop only fits the first drawing. `fitView()` waits
 * until the new nodes are measured; the canvas's new size reaches the store a moment after the
 * nodes do, hence the second fit on the size.
 */
function FitOnChange(props: { layout: object }) {
  const { fitView } = useReactFlow();
  const width = useStore((state) => state.width);
  const height = useStore((state) => state.height);
  useEffect(() => {
    void fitView(FIT_VIEW_OPTIONS);
  }, [props.layout, width, height, fitView]);
  return null;
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
        {label} (not in catalog or not visible)
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
      <Box mt="xs">
        <DataTable
          label="Relations in the graph"
          rows={props.data.edges}
          rowKey={(edge) => edge.id}
          verticalSpacing={4}
          minTableWidth={480}
          columns={[
            { id: 'from', header: 'From', primary: true, cell: (edge) => cell(edge.source) },
            { id: 'relation', header: 'Relation', cell: (edge) => <Text size="sm">{humanizeRelation(edge.relation).toLowerCase()}</Text> },
            { id: 'to', header: 'To', cell: (edge) => cell(edge.target) },
          ]}
        />
      </Box>
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
        Referenced but not in the catalog, or not visible to you
      </Text>
      <Text size="xs" c="dimmed">
        Click an entity to open it.
      </Text>
    </Group>
  );
}
