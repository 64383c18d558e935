import { createHash } from 'node:crypto';
import type { DocsPage, DocsSite, EntityTriplet } from '../../common/index.js';
import type { BuiltSite } from '../build/types.js';

/** A stored JSON document served as is (no parse/serialize per request), with its ETag. */
export interface StoredDocument {
  body: string;
  etag: string;
}

export interface StoredAsset {
  content: Buffer;
  contentType: string;
  etag: string;
}

/** A site ready to store: serialized once at publish time. */
export interface PublishedSite {
  entityRef: string;
  triplet: EntityTriplet;
  site: StoredDocument;
  pages: Array<{ route: string } & StoredDocument>;
  assets: Array<{ path: string } & StoredAsset>;
}

/**
 * Where built sites live: Postgres (default) or a directory. Publishing replaces a site as a
 * whole; readers see the old or the new site, never a mix of pages from both.
 */
export interface SiteStore {
  readonly kind: 'database' | 'directory';
  publish(site: PublishedSite): Promise<void>;
  getSite(entityRef: string, triplet: EntityTriplet): Promise<StoredDocument | undefined>;
  getPage(entityRef: string, triplet: EntityTriplet, route: string): Promise<StoredDocument | undefined>;
  getAsset(entityRef: string, triplet: EntityTriplet, path: string): Promise<StoredAsset | undefined>;
  delete(entityRef: string, triplet: EntityTriplet): Promise<void>;
}

export function etagOf(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('base64url').slice(0, 27);
}

/** Serializes a build into the documents the API serves. */
export function toPublishedSite(entityRef: string, triplet: EntityTriplet, built: BuiltSite, builtAt: Date): PublishedSite {
  const pages = built.pages.map((p) => {
    const doc: DocsPage = {
      route: p.route,
      sourcePath: p.sourcePath,
      title: p.title,
      html: p.html,
      toc: p.toc,
      prev: p.prev,
      next: p.next,
      editUrl: p.editUrl,
      hasMermaid: p.hasMermaid,
    };
    const body = JSON.stringify(doc);
    return { route: p.route, body, etag: etagOf(body) };
  });
  const assets = built.assets.map((a) => ({ path: a.path, content: a.content, contentType: a.contentType, etag: etagOf(a.content) }));
  const siteEtag = etagOf(JSON.stringify([built.nav, pages.map((p) => p.etag), assets.map((a) => a.etag)]));
  const meta: DocsSite = {
    entityRef,
    siteName: built.siteName,
    siteDescription: built.siteDescription,
    nav: built.nav,
    pages: built.order,
    homeRoute: built.homeRoute,
    builtAt: builtAt.toISOString(),
    revision: built.revision,
    etag: siteEtag,
  };
  const body = JSON.stringify(meta);
  return { entityRef, triplet, site: { body, etag: etagOf(body) }, pages, assets };
}
