import { entityRoutePath } from '@atrium/ui';
import { Badge, Group } from '@mantine/core';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { Link } from 'react-router';
import { KindIcon } from '../components/KindIcon';
import type { GraphNode } from './buildGraph';
import type { GraphDirection } from './layout';
import classes from './RelationGraph.module.css';

export type EntityNodeData = GraphNode & { direction: GraphDirection };
/** Edges enter on the side facing their source and leave on the far side, whatever the layout direction. */
const HANDLE_SIDES: Record<GraphDirection, [Position, Position]> = {
  RIGHT: [Position.Left, Position.Right],
  LEFT: [Position.Right, Position.Left],
  DOWN: [Position.Top, Position.Bottom],
};

export type EntityFlowNode = Node<EntityNodeData, 'entity'>;

/**
 * One entity in the graph: kind, title and type. Resolved entities link to their page (so the
 * graph can be used from the keyboard); a target the catalog does not know (or the caller may not read: the catalog answers both alike) is drawn dashed and
 * says so, in words as well as style.
 */
export function EntityNode(props: NodeProps<EntityFlowNode>) {
  const node = props.data;
  const [targetSide, sourceSide] = HANDLE_SIDES[node.direction];
  const href = node.unresolved ? undefined : entityRoutePath(node.id);
  return (
    <div className={classes.node} data-root={node.root || undefined} data-unresolved={node.unresolved || undefined}>
      <Handle type="target" position={targetSide} className={classes.handle} isConnectable={false} />
      <Group gap={6} wrap="nowrap">
        <KindIcon kind={node.kind} size={14} />
        <span className={classes.kindLine}>
          {node.kind}
          {node.type ? ` · ${node.type}` : ''}
        </span>
      </Group>
      {href ? (
        <Link to={href} className={classes.nodeLink} title={node.id}>
          {node.title ?? node.name}
        </Link>
      ) : (
        <span className={classes.nodeTitle} title={node.id} data-node-title="">
          {node.title ?? node.name}
        </span>
      )}
      {node.unresolved && (
        <Badge size="xs" color="orange" variant="light" tt="none" className={classes.badge}>
          not in catalog or not visible
        </Badge>
      )}
      <Handle type="source" position={sourceSide} className={classes.handle} isConnectable={false} />
    </div>
  );
}
