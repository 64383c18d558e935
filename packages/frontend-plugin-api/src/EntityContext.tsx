import { createContext, useContext, type ReactNode } from 'react';
import type { EntityLike } from './entity';

const EntityContext = createContext<EntityLike | null>(null);

/** Provided by the entity page around its tabs and cards. */
export function EntityProvider(props: { entity: EntityLike; children: ReactNode }) {
  return <EntityContext.Provider value={props.entity}>{props.children}</EntityContext.Provider>;
}

/** The entity whose page is showing; for use inside entity tabs and cards. */
export function useEntity<T extends EntityLike = EntityLike>(): T {
  const entity = useContext(EntityContext);
  if (entity === null) {
    throw new Error('useEntity() can only be used inside an entity tab or card.');
  }
  return entity as T;
}
