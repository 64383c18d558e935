import { describe, expect, it } from 'vitest';
import type { GraphNode, RelationGraphData } from './buildGraph';
import { fitScale, gridLayout, orderedBands, type Positioned } from './gridLayout';

const NODE = { width: 184, height: 52 };
const LAPTOP = { width: 1118, height: 780 };

function node(id: string, depth: number): GraphNode {
  return { id, kind: 'Component', name: id, namespace: 'default', depth, unresolved: false, root: depth === 0 };
}

/** A group's neighbourhood: the group, 12 direct relations, each with 5 of its own. */
function neighbourhood(): RelationGraphData {
  const nodes = [node('group:default/root', 0)];
  const edges: RelationGraphData['edges'] = [];
  for (let i = 0; i < 12; i++) {
    const a = `component:default/a${String(i).padStart(2, '0')}`;
    nodes.push(node(a, 1));
    edges.push({ id: `${a}|ownedBy|root`, source: a, target: 'group:default/root', relation: 'ownedBy' });
    for (let j = 0; j < 5; j++) {
      const b = `api:default/b${i}-${j}`;
      nodes.push(node(b, 2));
      edges.push({ id: `${a}|providesApi|${b}`, source: a, target: b, relation: 'providesApi' });
    }
  }
  return { nodes, edges, truncated: false };
}

function boxesOverlap(layout: Positioned): boolean {
  const boxes = [...layout.positions.values()];
  return boxes.some((a, i) => boxes.slice(i + 1).some((b) => Math.abs(a.x - b.x) < NODE.width && Math.abs(a.y - b.y) < NODE.height));
}

describe('gridLayout', () => {
  it('wraps each hop into a block shaped like the canvas, bands left to right', () => {
    const data = neighbourhood();
    const layout = gridLayout(data, { direction: 'RIGHT', node: NODE, canvas: LAPTOP });
    expect(layout.positions.size).toBe(data.nodes.length);
    expect(boxesOverlap(layout)).toBe(false);
    const x = (id: string) => layout.positions.get(id)!.x;
    expect(x('group:default/root')).toBeLessThan(x('component:default/a00'));
    expect(Math.max(...data.nodes.filter((n) => n.depth === 1).map((n) => x(n.id)))).toBeLessThan(
      Math.min(...data.nodes.filter((n) => n.depth === 2).map((n) => x(n.id))),
    );
    for (const p of layout.positions.values()) {
      expect(p.x + NODE.width).toBeLessThanOrEqual(layout.size.width + 0.5);
      expect(p.y + NODE.height).toBeLessThanOrEqual(layout.size.height + 0.5);
    }
    // 73 nodes in one column would be 5,000 px tall: wrapped, they stay readable on a laptop.
    expect(fitScale(layout.size, LAPTOP, 0.05)).toBeGreaterThanOrEqual(0.68);
  });

  it('stacks the bands top to bottom, or right to left, when asked', () => {
    const data = neighbourhood();
    const down = gridLayout(data, { direction: 'DOWN', node: NODE, canvas: LAPTOP });
    expect(down.positions.get('group:default/root')!.y).toBeLessThan(down.positions.get('api:default/b0-0')!.y);
    expect(boxesOverlap(down)).toBe(false);
    const left = gridLayout(data, { direction: 'LEFT', node: NODE, canvas: LAPTOP });
    expect(left.positions.get('group:default/root')!.x).toBeGreaterThan(left.positions.get('api:default/b0-0')!.x);
    expect(Math.min(...[...left.positions.values()].map((p) => p.x))).toBeGreaterThanOrEqual(0);
  });

  it('flows the hops together when bands of one node would waste a column', () => {
    const data = neighbourhood();
    const banded = gridLayout(data, { direction: 'RIGHT', node: NODE, canvas: { width: 360, height: 700 } });
    const flowing = gridLayout(data, { direction: 'RIGHT', node: NODE, canvas: { width: 360, height: 700 }, mode: 'flowing' });
    expect(boxesOverlap(flowing)).toBe(false);
    expect(fitScale(flowing.size, { width: 360, height: 700 }, 0.05)).toBeGreaterThan(fitScale(banded.size, { width: 360, height: 700 }, 0.05));
  });
});

describe('orderedBands', () => {
  it('orders each band by where its neighbours sit in the band before', () => {
    const data = neighbourhood();
    const bands = orderedBands(data);
    expect(bands.map((b) => b.length)).toEqual([1, 12, 60]);
    expect(bands[2]!.slice(0, 5)).toEqual(['api:default/b0-0', 'api:default/b0-1', 'api:default/b0-2', 'api:default/b0-3', 'api:default/b0-4']);
  });
});
