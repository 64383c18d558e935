import { NotFoundError } from '@atrium/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import type { EntityAncestryResponse } from '../../common/index.js';
import { isUuid } from '../store/locationsStore.js';
import { rows, type Db } from '../store/sql.js';

export interface EntityRecord {
  id: string;
  entity_ref: string;
  location_id: string | null;
  parent_ref: string | null;
  final: Entity | null;
}

/** Single-entity reads: by ref, by uid, and the chain of Location entities that led to one. */
export class EntityLookup {
  constructor(private readonly db: Db) {}

  async byRef(ref: string): Promise<EntityRecord | undefined> {
    const [row] = await rows<EntityRecord>(
      this.db,
      `select e.id, e.entity_ref, e.location_id, e.parent_ref, f.final from entities e left join final_entities f on f.entity_id = e.id where e.entity_ref = ?`,
      [ref.toLowerCase()],
    );
    return row;
  }

  async finalTextByRef(ref: string): Promise<string | undefined> {
    const [row] = await rows<{ final: string }>(
      this.db,
      `select f.final::text as final from entities e join final_entities f on f.entity_id = e.id where e.entity_ref = ?`,
      [ref.toLowerCase()],
    );
    return row?.final;
  }

  async finalTextByUid(uid: string): Promise<string | undefined> {
    if (!isUuid(uid)) return undefined;
    const [row] = await rows<{ final: string }>(this.db, `select final::text as final from final_entities where entity_id = ?`, [uid]);
    return row?.final;
  }

  async byUid(uid: string): Promise<EntityRecord | undefined> {
    if (!isUuid(uid)) return undefined;
    const [row] = await rows<EntityRecord>(
      this.db,
      `select e.id, e.entity_ref, e.location_id, e.parent_ref, f.final from entities e left join final_entities f on f.entity_id = e.id where e.id = ?`,
      [uid],
    );
    return row;
  }

  /** The entity, then each parent Location entity up to the generated root (Backstage's ancestry). */
  async ancestry(kind: string, namespace: string, name: string): Promise<EntityAncestryResponse> {
    const rootEntityRef = stringifyEntityRef({ kind, namespace, name });
    const items: EntityAncestryResponse['items'] = [];
    const seen = new Set<string>();
    let ref: string | null = rootEntityRef;
    while (ref && !seen.has(ref)) {
      seen.add(ref);
      const record = await this.byRef(ref);
      if (!record?.final) {
        if (items.length === 0) throw notFound(kind, namespace, name);
        break;
      }
      items.push({ entity: record.final, parentEntityRefs: record.parent_ref ? [record.parent_ref] : [] });
      ref = record.parent_ref;
    }
    return { rootEntityRef, items };
  }
}

export function notFound(kind: string, namespace: string, name: string): NotFoundError {
  return new NotFoundError(`No entity named '${name}' found, with kind '${kind}' in namespace '${namespace}'`);
}
