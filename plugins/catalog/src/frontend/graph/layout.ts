import ElkModule from 'elkjs/lib/elk-api.js';
import type { ELK } from 'elkjs/lib/elk-api.js';
import workerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { RelationGraphData } from './buildGraph';
import { compactLayout, fitScale, type Positioned, type Size } from './gridLayout';

/** A node's box in graph coordinates; EntityNode is drawn at this size. */
export const NODE_WIDTH = 184;
export const NODE_HEIGHT = 52;

/** A node title is 15 px in graph coordinates; below this zoom it would be under 10 px on screen. */
export const READABLE_SCALE = 0.68;
/** Fit leaves this fraction of the drawing's size free on each side. */
export const FIT_PADDING = 0.05;
/** Small graphs are not blown up past this zoom. */
export const MAX_FIT_ZOOM = 1.2;

export type GraphDirection = 'RIGHT' | 'DOWN' | 'LEFT';

// elk-api is a UMD bundle: depending on the interop the class is the module or its default.
const ElkConstructor = ((ElkModule as unknown as { default?: typeof ElkModule }).default ?? ElkModule) as typeof ElkModule;

let elk: ELK | undefined;

/**
 * Positions the nodes with ELK's layered algorithm. ELK runs in a web worker (its 1.6 MB
 * script is fetched by the worker, not parsed on the page), so a big graph does not freeze
 * the page while it is laid out.
 */
export async function layoutGraph(data: RelationGraphData, direction: GraphDirection): Promise<Positioned> {
  elk ??= new ElkConstructor({ workerUrl });
  const result = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      'elk.layered.spacing.nodeNodeBetweenLayers': '80',
      'elk.spacing.nodeNode': '20',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.separateConnectedComponents': 'true',
    },
    children: data.nodes.map((node) => ({ id: node.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: data.edges.map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] })),
  });
  const positions = new Map((result.children ?? []).map((child) => [child.id, { x: child.x ?? 0, y: child.y ?? 0 }]));
  return { positions, size: extent(positions) };
}

function extent(positions: ReadonlyMap<string, { x: number; y: number }>): Size {
  let width = 0;
  let height = 0;
  for (const p of positions.values()) {
    width = Math.max(width, p.x + NODE_WIDTH);
    height = Math.max(height, p.y + NODE_HEIGHT);
  }
  return { width, height };
}

export interface CanvasBounds {
  width: number;
  minHeight: number;
  maxHeight: number;
}

export interface ChosenLayout extends Positioned {
  kind: 'layered' | 'compact';
  /** The canvas height that shows the whole drawing at `scale`. */
  height: number;
  scale: number;
}

/**
 * Picks the drawing for a canvas: ELK's layered one while it fits readably (titles of 10 px
 * or more on screen), otherwise the compact grid (gridLayout.ts) when that shows the nodes
 * larger. The canvas then gets the height the drawing needs, between the bounds.
 */
export function chooseLayout(data: RelationGraphData, direction: GraphDirection, layered: Positioned, bounds: CanvasBounds): ChosenLayout {
  const largest = { width: bounds.width, height: bounds.maxHeight };
  const scaleOf = (p: Positioned) => Math.min(fitScale(p.size, largest, FIT_PADDING), MAX_FIT_ZOOM);
  let chosen: Positioned & { kind: ChosenLayout['kind'] } = { ...layered, kind: 'layered' };
  let scale = scaleOf(layered);
  if (scale < READABLE_SCALE) {
    const compact = compactLayout(data, {
      direction,
      node: { width: NODE_WIDTH, height: NODE_HEIGHT },
      canvas: largest,
      readableScale: READABLE_SCALE,
      padding: FIT_PADDING,
    });
    const compactScale = scaleOf(compact);
    if (compactScale > scale) {
      chosen = { ...compact, kind: 'compact' };
      scale = compactScale;
    }
  }
  const needed = Math.ceil(chosen.size.height * scale * (1 + 2 * FIT_PADDING));
  const height = Math.min(bounds.maxHeight, Math.max(bounds.minHeight, needed));
  return { ...chosen, height, scale };
}
