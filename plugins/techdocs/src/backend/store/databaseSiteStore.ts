import type { Knex } from 'knex';
import type { PublishedSite, SiteStore, StoredAsset, StoredDocument } from './SiteStore.js';

const INSERT_BATCH = 200;

/** Sites in the plugin's Postgres schema: one row per page and per asset. */
export class DatabaseSiteStore implements SiteStore {
  readonly kind = 'database' as const;

  constructor(private readonly db: Knex) {}

  async publish(site: PublishedSite): Promise<void> {
    await this.db.transaction(async (trx) => {
      const ref = site.entityRef;
      await trx('site_pages').where({ entity_ref: ref }).delete();
      await trx('site_assets').where({ entity_ref: ref }).delete();
      for (let i = 0; i < site.pages.length; i += INSERT_BATCH) {
        await trx('site_pages').insert(site.pages.slice(i, i + INSERT_BATCH).map((p) => ({ entity_ref: ref, route: p.route, doc: p.body, etag: p.etag })));
      }
      for (const a of site.assets) {
        await trx('site_assets').insert({ entity_ref: ref, path: a.path, content: a.content, content_type: a.contentType, etag: a.etag });
      }
      await trx.raw(
        `insert into sites (entity_ref, meta, etag, built_at) values (?, ?, ?, now())
         on conflict (entity_ref) do update set meta = excluded.meta, etag = excluded.etag, built_at = excluded.built_at`,
        [ref, site.site.body, site.site.etag],
      );
    });
  }

  async getSite(entityRef: string): Promise<StoredDocument | undefined> {
    const row = await this.db('sites').where({ entity_ref: entityRef }).first('meta', 'etag');
    return row ? { body: row.meta as string, etag: row.etag as string } : undefined;
  }

  async getPage(entityRef: string, _t: unknown, route: string): Promise<StoredDocument | undefined> {
    const row = await this.db('site_pages').where({ entity_ref: entityRef, route }).first('doc', 'etag');
    return row ? { body: row.doc as string, etag: row.etag as string } : undefined;
  }

  async getAsset(entityRef: string, _t: unknown, path: string): Promise<StoredAsset | undefined> {
    const row = await this.db('site_assets').where({ entity_ref: entityRef, path }).first('content', 'content_type', 'etag');
    if (!row) return undefined;
    const content = row.content as Buffer | Uint8Array;
    return { content: Buffer.isBuffer(content) ? content : Buffer.from(content), contentType: row.content_type as string, etag: row.etag as string };
  }

  async delete(entityRef: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      for (const t of ['site_pages', 'site_assets', 'sites']) await trx(t).where({ entity_ref: entityRef }).delete();
    });
  }
}
