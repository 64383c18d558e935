import { describe, expect, it, vi } from 'vitest';
import type { GraphNode, RelationGraphData } from './buildGraph';

// layout.ts starts ELK in a web worker, which vitest's Node does not have; chooseLayout only needs ELK's result.
vi.mock('elkjs/lib/elk-api.js', () => ({
  default: class ElkStub {
    terminateWorker(): void {}
  },
}));
vi.mock('elkjs/lib/elk-worker.min.js?url', () => ({ default: '' }));
const { chooseLayout, NODE_HEIGHT, NODE_WIDTH, READABLE_SCALE } = await import('./layout');

function star(count: number): RelationGraphData {
  const nodes: GraphNode[] = [{ id: 'group:default/g', kind: 'Group', name: 'g', namespace: 'default', depth: 0, unresolved: false, root: true }];
  for (let i = 0; i < count; i++)
    nodes.push({ id: `component:default/c${i}`, kind: 'Component', name: `c${i}`, namespace: 'default', depth: 1, unresolved: false, root: false });
  return { nodes, edges: nodes.slice(1).map((n) => ({ id: n.id, source: n.id, target: 'group:default/g', relation: 'ownedBy' })), truncated: false };
}

/** What ELK's layered algorithm makes of a star: the root, and every neighbour in one column. */
function layeredColumn(data: RelationGraphData) {
  const positions = new Map(data.nodes.map((n, i) => [n.id, n.root ? { x: 0, y: 0 } : { x: NODE_WIDTH + 80, y: (i - 1) * (NODE_HEIGHT + 20) }]));
  return { positions, size: { width: 2 * NODE_WIDTH + 80, height: (data.nodes.length - 1) * (NODE_HEIGHT + 20) } };
}

const bounds = { width: 1118, minHeight: 320, maxHeight: 780 };

describe('chooseLayout', () => {
  it('keeps the layered drawing while it is readable, with a canvas no taller than needed', () => {
    const data = star(4);
    const chosen = chooseLayout(data, 'RIGHT', layeredColumn(data), bounds);
    expect(chosen.kind).toBe('layered');
    expect(chosen.height).toBe(Math.ceil(layeredColumn(data).size.height * chosen.scale * 1.1));
    expect(chosen.height).toBeLessThan(bounds.maxHeight);
  });

  it('switches to the compact grid when one long column would shrink the text below 10 px', () => {
    const data = star(60);
    const layered = layeredColumn(data);
    const chosen = chooseLayout(data, 'RIGHT', layered, bounds);
    expect(chosen.kind).toBe('compact');
    expect(chosen.scale).toBeGreaterThanOrEqual(READABLE_SCALE);
    expect(chosen.height).toBeLessThanOrEqual(bounds.maxHeight);
    expect(chosen.positions.size).toBe(61);
  });
});
