import type { CompoundEntityRef } from '@atrium/catalog-model';
import { Anchor, Group, Text, type AnchorProps } from '@mantine/core';
import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router';
import { canonicalRefKey } from './entityTitles';
import { entityRoutePath, humanizeEntityRef } from './entityRoute';
import { useEntityTitle } from './useEntityTitle';

export interface EntityRefLinkProps extends Pick<AnchorProps, 'size' | 'fw' | 'c'> {
  /** `kind:namespace/name`, a shorter form with `defaultKind`, or a compound ref. */
  entityRef: string | CompoundEntityRef;
  /** Kind assumed when the ref has none, and left out of the label when the ref has it. */
  defaultKind?: string;
  defaultNamespace?: string;
  /**
   * The entity's title when the caller already has the entity. Without it the title is looked
   * up in the catalog (batched and cached), and the ref is shown until it is known.
   */
  title?: ReactNode;
  /** Prefix icon. */
  icon?: ReactNode;
}

/**
 * A link to an entity's page, labelled the same way everywhere: the entity's title (or a
 * user's/group's display name) when the catalog knows it, otherwise its ref, shortened by
 * leaving out the expected kind and the default namespace. The full ref is the link's tooltip.
 * Plain text when the ref cannot be parsed.
 */
export function EntityRefLink(props: EntityRefLinkProps) {
  const context = { defaultKind: props.defaultKind, defaultNamespace: props.defaultNamespace };
  const refString = typeof props.entityRef === 'string' ? props.entityRef : `${props.entityRef.kind}:${props.entityRef.namespace}/${props.entityRef.name}`;
  const key = canonicalRefKey(refString, context);
  const looked = useEntityTitle(props.title === undefined ? key : undefined);
  const href = entityRoutePath(props.entityRef, context);
  const label = props.title ?? looked ?? humanizeEntityRef(props.entityRef, context);
  const content = props.icon ? (
    <Group component="span" gap={4} wrap="nowrap" display="inline-flex">
      {props.icon}
      <span>{label}</span>
    </Group>
  ) : (
    label
  );
  if (!href) {
    return (
      <Text component="span" size={props.size} fw={props.fw} c={props.c}>
        {content}
      </Text>
    );
  }
  return (
    <Anchor component={Link} to={href} size={props.size} fw={props.fw} c={props.c} title={key} data-entity-ref={key}>
      {content}
    </Anchor>
  );
}

/** Several entity links separated by commas; `empty` when there are none. */
export function EntityRefLinks(props: {
  entityRefs: ReadonlyArray<string>;
  defaultKind?: string;
  defaultNamespace?: string;
  size?: AnchorProps['size'];
  empty?: ReactNode;
}) {
  if (props.entityRefs.length === 0) return <>{props.empty ?? null}</>;
  return (
    <>
      {props.entityRefs.map((ref, index) => (
        <Fragment key={ref}>
          {index > 0 && ', '}
          <EntityRefLink entityRef={ref} defaultKind={props.defaultKind} defaultNamespace={props.defaultNamespace} size={props.size} />
        </Fragment>
      ))}
    </>
  );
}
