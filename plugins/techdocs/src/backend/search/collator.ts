import type { EventsService, Logger, SearchCollator, SearchDocument } from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';
import { docsPagePath, techdocsBuildFinished, techdocsSitePublished } from '../../common/index.js';

const MAX_TEXT = 100_000;
const ENTITY_BATCH = 50;

interface SectionRow {
  entity_ref: string;
  route: string;
  page_title: string;
  heading: string | null;
  body: string;
  namespace: string;
  kind: string;
  name: string;
  title: string;
  owner: string | null;
  lifecycle: string | null;
}

/** One document per built page: the page title, its headings (ranked like names) and its text. */
function pagesOf(rows: readonly SectionRow[]): SearchDocument[] {
  const pages = new Map<string, SectionRow[]>();
  for (const r of rows) {
    const key = `${r.entity_ref}#${r.route}`;
    const list = pages.get(key);
    if (list) list.push(r);
    else pages.set(key, [r]);
  }
  return [...pages.entries()].map(([key, sections]) => {
    const first = sections[0]!;
    const headings = sections.map((s) => s.heading).filter((h): h is string => !!h);
    const doc: SearchDocument = {
      key,
      title: first.route === '' || first.page_title === first.title ? first.page_title : `${first.page_title} · ${first.title}`,
      text: sections
        .map((s) => [s.heading, s.body].filter(Boolean).join(' '))
        .join('\n')
        .slice(0, MAX_TEXT),
      location: docsPagePath({ namespace: first.namespace, kind: first.kind, name: first.name }, first.route),
      entityRef: first.entity_ref,
      kind: first.kind,
      namespace: first.namespace,
      name: first.name,
      keywords: headings.slice(0, 50),
    };
    if (first.owner) doc.owner = first.owner;
    if (first.lifecycle) doc.lifecycle = first.lifecycle;
    return doc;
  });
}

async function sectionsFor(db: Knex, entityRefs: readonly string[]): Promise<SectionRow[]> {
  return db('search_sections as s')
    .join('docs_entities as e', 'e.entity_ref', 's.entity_ref')
    .whereIn('s.entity_ref', entityRefs)
    .select('s.entity_ref', 's.route', 's.page_title', 's.heading', 's.body', 'e.namespace', 'e.kind', 'e.name', 'e.title', 'e.owner', 'e.lifecycle')
    .orderBy([{ column: 's.entity_ref' }, { column: 's.route' }, { column: 's.position' }]);
}

/**
 * The `techdocs` search documents: one per built docs page, read from the plugin's own section
 * index. A build that publishes a site, or a site removed, replaces that entity's pages.
 */
export function createTechdocsSearchCollator(db: Knex, events: EventsService, logger: Logger): SearchCollator {
  return {
    type: 'techdocs',
    title: 'Documentation',
    version: '1',
    async *collate(signal) {
      const refs = (await db('search_sections').distinct('entity_ref').orderBy('entity_ref')).map((r: { entity_ref: string }) => r.entity_ref);
      for (let i = 0; i < refs.length; i += ENTITY_BATCH) {
        if (signal.aborted) return;
        yield pagesOf(await sectionsFor(db, refs.slice(i, i + ENTITY_BATCH)));
      }
    },
    subscribe(sink) {
      const refresh = (entityRef: string) =>
        sectionsFor(db, [entityRef])
          .then((rows) => sink.replaceForEntity(entityRef, pagesOf(rows)))
          .catch((e) => logger.warn({ err: e, entityRef }, 'techdocs: could not update the search index'));
      const offBuilt = events.subscribe(techdocsBuildFinished, (e) => (e.payload.status === 'built' ? refresh(e.payload.entityRef) : undefined));
      const offPublished = events.subscribe(techdocsSitePublished, (e) => refresh(e.payload.entityRef));
      return () => {
        offBuilt();
        offPublished();
      };
    },
  };
}
