import type { RelationGraphData } from './buildGraph';
import type { GraphDirection } from './layout';

/**
 * A compact layout for graphs too big for a layered drawing to stay readable: one band per
 * hop from the root (the root, its neighbours, theirs…), each band wrapped into as many
 * columns (or rows) as it takes for the whole drawing to match the canvas's shape. A layered
 * layout puts a group's 40 members in one 3,000 px column; here they become a 5 × 8 block.
 * Pure, so the shape is easy to test; ELK (layout.ts) still draws the small graphs.
 */

export interface Size {
  width: number;
  height: number;
}

export interface Positioned {
  positions: Map<string, { x: number; y: number }>;
  /** The drawing's extent, nodes included. */
  size: Size;
}

export interface GridOptions {
  direction: GraphDirection;
  node: Size;
  /** The canvas the drawing should fill: only its aspect ratio matters. */
  canvas: Size;
  /** Space between nodes in a band, and between bands. */
  gap?: number;
  bandGap?: number;
  /**
   * `banded` starts each hop on a new column (row, top to bottom); `flowing` lets the hops
   * follow each other in one sequence, which packs tighter when a band has a single node.
   */
  mode?: 'banded' | 'flowing';
}

/** Both grid forms for the canvas; the banded one unless the flowing one is needed to reach `readableScale`. */
export function compactLayout(data: RelationGraphData, options: Omit<GridOptions, 'mode'> & { readableScale: number; padding: number }): Positioned {
  const banded = gridLayout(data, { ...options, mode: 'banded' });
  const bandedScale = fitScale(banded.size, options.canvas, options.padding);
  if (bandedScale >= options.readableScale) return banded;
  const flowing = gridLayout(data, { ...options, mode: 'flowing' });
  return fitScale(flowing.size, options.canvas, options.padding) > bandedScale ? flowing : banded;
}

export function gridLayout(data: RelationGraphData, options: GridOptions): Positioned {
  const gap = options.gap ?? 16;
  const bandGap = options.bandGap ?? 56;
  const ordered = orderedBands(data);
  const bands = options.mode === 'flowing' ? [ordered.flat()] : ordered;
  const across = options.direction === 'DOWN';
  // Along the bands' axis a node takes `along`; across it (how a band wraps) it takes `cross`.
  const along = (across ? options.node.height : options.node.width) + gap;
  const cross = (across ? options.node.width : options.node.height) + gap;
  const canvasAlong = across ? options.canvas.height : options.canvas.width;
  const canvasCross = across ? options.canvas.width : options.canvas.height;

  // Try every number of slots across the bands; keep the one that shows the nodes largest.
  const largest = Math.max(1, ...bands.map((b) => b.length));
  let best = { slots: largest, scale: 0 };
  for (let slots = 1; slots <= largest; slots++) {
    const lanes = bands.reduce((sum, band) => sum + Math.ceil(band.length / slots), 0);
    const extentAlong = lanes * along - gap + (bands.length - 1) * bandGap;
    const extentCross = slots * cross - gap;
    const scale = Math.min(canvasAlong / extentAlong, canvasCross / extentCross);
    if (scale > best.scale + 1e-9) best = { slots, scale };
  }

  const slots = best.slots;
  const positions = new Map<string, { x: number; y: number }>();
  let offset = 0;
  const fullCross = slots * cross - gap;
  for (const band of bands) {
    const lanes = Math.ceil(band.length / slots);
    band.forEach((id, index) => {
      const lane = Math.floor(index / slots);
      const slot = index % slots;
      // A band's last lane is centred when it is not full, and so is a band narrower than the rest.
      const inLane = lane === lanes - 1 ? band.length - lane * slots : slots;
      const indent = (fullCross - (inLane * cross - gap)) / 2;
      const a = offset + lane * along;
      const c = indent + slot * cross;
      positions.set(id, across ? { x: c, y: a } : { x: a, y: c });
    });
    offset += lanes * along + bandGap;
  }
  const extentAlong = Math.max(0, offset - bandGap - gap);
  if (options.direction === 'LEFT') {
    for (const [id, p] of positions) positions.set(id, { x: extentAlong - options.node.width - p.x, y: p.y });
  }
  const size = across ? { width: fullCross, height: extentAlong } : { width: extentAlong, height: fullCross };
  return { positions, size };
}

/**
 * The nodes by hop from the root, each band ordered so related nodes sit together: by the
 * average place of their neighbours in the band before (fewer crossing edges), then by kind
 * and name so the order is stable.
 */
export function orderedBands(data: RelationGraphData): string[][] {
  const byDepth = new Map<number, RelationGraphData['nodes']>();
  for (const node of data.nodes) {
    const list = byDepth.get(node.depth) ?? [];
    list.push(node);
    byDepth.set(node.depth, list);
  }
  const neighbours = new Map<string, string[]>();
  for (const edge of data.edges) {
    neighbours.set(edge.source, [...(neighbours.get(edge.source) ?? []), edge.target]);
    neighbours.set(edge.target, [...(neighbours.get(edge.target) ?? []), edge.source]);
  }
  const bands: string[][] = [];
  let previous = new Map<string, number>();
  for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
    const nodes = byDepth.get(depth)!;
    const weight = (id: string) => {
      const places = (neighbours.get(id) ?? []).map((n) => previous.get(n)).filter((p): p is number => p !== undefined);
      return places.length ? places.reduce((a, b) => a + b, 0) / places.length : Number.MAX_SAFE_INTEGER;
    };
    const sorted = [...nodes].sort(
      (a, b) => weight(a.id) - weight(b.id) || a.kind.localeCompare(b.kind) || (a.title ?? a.name).localeCompare(b.title ?? b.name),
    );
    const band = sorted.map((n) => n.id);
    bands.push(band);
    previous = new Map(band.map((id, index) => [id, index]));
  }
  return bands;
}

/** The scale at which a drawing of `size` fits `canvas` with `padding` (a fraction) around it. */
export function fitScale(size: Size, canvas: Size, padding: number): number {
  if (size.width <= 0 || size.height <= 0) return Number.POSITIVE_INFINITY;
  return Math.min(canvas.width / (size.width * (1 + 2 * padding)), canvas.height / (size.height * (1 + 2 * padding)));
}
