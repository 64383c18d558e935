import { canonicalRefKey, humanizeEntityRef, useEntityTitle } from '@atrium/ui';

/** An owner named as EntityRefLink names it (its title once known), as plain text for links of our own. */
export function OwnerName(props: { ownerRef: string }) {
  const title = useEntityTitle(canonicalRefKey(props.ownerRef, { defaultKind: 'group' }));
  return <>{title ?? humanizeEntityRef(props.ownerRef, { defaultKind: 'group' })}</>;
}
