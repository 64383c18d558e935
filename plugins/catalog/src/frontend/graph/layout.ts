import ElkModule from 'elkjs/lib/elk-api.js';
import type { ELK } from 'elkjs/lib/elk-api.js';
import workerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { RelationGraphData } from './buildGraph';

export const NODE_WIDTH = 230;
export const NODE_HEIGHT = 66;

export type GraphDirection = 'RIGHT' | 'DOWN' | 'LEFT';

// elk-api is a UMD bundle: depending on the interop the class is the module or its default.
const ElkConstructor = ((ElkModule as unknown as { default?: typeof ElkModule }).default ?? ElkModule) as typeof ElkModule;

let elk: ELK | undefined;

/**
 * Positions the nodes with ELK's layered algorithm. ELK runs in a web worker (its 1.6 MB
 * script is fetched by the worker, not parsed on the page), so a big graph does not freeze
 * the page while it is laid out.
 */
export async function layoutGraph(data: RelationGraphData, direction: GraphDirection): Promise<Map<string, { x: number; y: number }>> {
  elk ??= new ElkConstructor({ workerUrl });
  const result = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.spacing.nodeNode': '28',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.separateConnectedComponents': 'true',
    },
    children: data.nodes.map((node) => ({ id: node.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: data.edges.map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] })),
  });
  return new Map((result.children ?? []).map((child) => [child.id, { x: child.x ?? 0, y: child.y ?? 0 }]));
}
