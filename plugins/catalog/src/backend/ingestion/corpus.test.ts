import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readLocation } from './readLocation.js';
import type { IngestedEntity, IngestionError, IngestionOptions, LocationSpec } from './types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const corpus = path.resolve(repoRoot, '../shared/corpus/catalog');
// No network in tests: every remote placeholder is refused as "host not allowed".
const options: IngestionOptions = { fileRoots: [corpus], allowedUrlHosts: [] };

interface Crawl {
  entities: IngestedEntity[];
  errors: IngestionError[];
  files: Set<string>;
  locations: number;
}

/** Reads a root location and every location its Location entities name, once each. */
async function crawl(root: LocationSpec): Promise<Crawl> {
  const out: Crawl = { entities: [], errors: [], files: new Set(), locations: 0 };
  const seen = new Set<string>();
  const queue = [root];
  while (queue.length > 0) {
    const spec = queue.shift()!;
    const key = `${spec.type}:${spec.target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.locations++;
    const result = await readLocation(spec, { ...options, originLocation: root });
    out.entities.push(...result.entities);
    out.errors.push(...result.errors);
    result.files.forEach((f) => out.files.add(f));
    queue.push(...result.childLocations);
  }
  return out;
}

const file = (...parts: string[]): LocationSpec => ({ type: 'file', target: path.join(corpus, ...parts) });
const byRef = (entities: IngestedEntity[]) => new Map(entities.map((e) => [e.entityRef, e]));
const invalid = (entities: IngestedEntity[]) =>
  entities
    .filter((e) => e.errors.length > 0)
    .map((e) => e.entityRef)
    .sort();

describe.skipIf(!existsSync(corpus))('corpus: /work/shared/corpus/catalog', () => {
  it('backstage-examples: the root Locations resolve every target and yield the expected entities and relations', async () => {
    const all = await crawl(file('backstage-examples/all.yaml'));
    const org = await crawl(file('backstage-examples/acme-corp.yaml'));
    expect([...all.errors, ...org.errors]).toEqual([]);

    // Every YAML file of the tree was read, as a descriptor or as a $text target.
    const dir = path.join(corpus, 'backstage-examples');
    const yamlFiles = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => path.join(dir, f));
    const read = new Set([...all.files, ...org.files]);
    expect(yamlFiles.filter((f) => !read.has(f))).toEqual([]);

    // Only the APIs whose definitions live on remote hosts fail, and only because of that.
    expect(invalid(all.entities)).toEqual(['api:default/spotify', 'api:default/wayback-archive', 'api:default/wayback-search']);
    for (const e of all.entities.filter((x) => x.errors.length > 0)) {
      expect(e.errors).toEqual([
        expect.objectContaining({ kind: 'security', field: 'spec.definition', message: expect.stringContaining('not in the allowed URL hosts') }),
      ]);
    }
    expect(invalid(org.entities)).toEqual([]);

    const entities = byRef([...all.entities, ...org.entities]);
    expect(entities.get('component:default/www-artist')?.entity?.relations).toEqual([
      { type: 'ownedBy', targetRef: 'group:default/team-a' },
      { type: 'partOf', targetRef: 'system:default/artist-engagement-portal' },
      { type: 'consumesApi', targetRef: 'component:default/artist-lookup' },
    ]);
    expect(entities.get('component:default/petstore')?.entity?.relations).toEqual(
      expect.arrayContaining([
        { type: 'providesApi', targetRef: 'api:default/petstore' },
        { type: 'providesApi', targetRef: 'api:default/streetlights' },
        { type: 'providesApi', targetRef: 'api:default/hello-world' },
      ]),
    );
    expect(entities.get('group:default/team-a')?.entity?.relations).toEqual([{ type: 'childOf', targetRef: 'group:default/backstage' }]);
    expect(entities.get('user:development/guest')?.entity?.relations).toEqual([{ type: 'memberOf', targetRef: 'group:default/team-a' }]);
    const petstoreApi = entities.get('api:default/petstore')?.entity;
    expect(petstoreApi?.spec?.definition).toMatch(/^openapi: "?3/);
    expect(petstoreApi?.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-location': `file:${path.join(dir, 'apis/petstore-api.yaml')}`,
      'backstage.io/managed-by-origin-location': `file:${path.join(dir, 'all.yaml')}`,
    });
    expect(entities.get('location:default/example-groups')?.entity?.kind).toBe('Location');
    expect(org.locations).toBe(9); // acme-corp.yaml, org.yaml and its 7 group files
  });

  // Files of catalog/real-world that fail, and the kinds of error they produce. Every other
  // file must be fully valid. Read one file at a time, as each is its own location.
  const expectedProblems: Record<string, string[]> = {
    '1-Platform__one-platform__catalog__resources__CouchDB.yaml': ['validation'], // dependsOn at the root
    'EffortlessMetrics__Rust-Template__backstage__catalog-info.yaml': ['validation'], // no spec.lifecycle
    'Geotab__mygeotab-api-adapter__catalog-info.yml': ['validation'], // Location without spec
    'JamesStewy__go-mysqldump__catalog-info.yml': ['validation'], // labels as a list, null link urls
    'Kajabi__sage-lib__docs__catalog-info.yaml': ['relation'], // dependsOn without a kind
    'LLNL__radiuss-shared-ci__catalog-info.yml': ['validation'], // not an entity
    'LedgerHQ__device-sdk-ts__catalog-info.yml': ['duplicate'],
    'OctopusDeploy__mssql-docker__.backstage__catalog-info.yaml': ['validation'], // name with spaces
    'RedHatInsights__backstage-plugin-status-page__plugins__workstream-automation-backend__catalog-info.yaml': ['placeholder'], // $text target not copied
    'RoadieHQ__backstage-entity-validator__sample__catalog-info-with-replacement.yml': ['placeholder'], // $text target missing
    'armosec__backstage-plugin__backstage.yaml': ['validation'], // not an entity
    'awslabs__harmonix__backstage-reference__templates__aws-rds-resource__content__.backstage__catalog-info.yaml': ['yaml'], // unrendered Nunjucks
    'backstage__demo__catalog-info.yaml': ['security'], // remote $text
    'backstage__demo__examples__ai-resources.yaml': ['validation'], // unknown kind AiResource
    'cosmonic-labs__mcp-server-template-ts__catalog-info.yaml': ['validation'], // ${{ values.appName }}
    'enonic__app-sitemap-xml__backstage.yaml': ['validation'], // kind with a space
    'env0__env0-backstage-plugin__examples__templates__env0-create-environment__template__catalog-info.yaml': ['validation'],
    'equinor__radix-operator__catalog-info.yaml': ['placeholder'], // $text target elsewhere in the corpus
    'ibm-messaging__mq-dev-patterns__Python__services__catalog-app.yaml': ['validation'],
    'ibm-messaging__mq-dev-patterns__backstage__catalog-info.yaml': ['placeholder'], // placeholder targets not copied here
    'navikt__g__.backstage.yaml': ['yaml'], // "definition: $text: https://..." on one line
    'openedx__edx-lint__catalog-info.yaml': ['validation'], // null annotation value and links
    'patterninc__caterpillar__backstage.yaml': ['validation'], // no owner, no lifecycle
    'redhat-developer__rhdh__catalog-entities__apis__petstore.yaml': ['security'], // remote $openapi
    'spotify__web-scripts__catalog-info.yaml': ['validation'], // no lifecycle
    'tyriis__home-ops__.backstage__api__adguard-home__catalog-info.yaml': ['security'], // remote $text
  };

  it('real-world: valid descriptors are accepted; invalid ones get clear, located errors and do not disturb the rest', async () => {
    const dir = path.join(corpus, 'real-world');
    const problems: Record<string, string[]> = {};
    let valid = 0;
    for (const name of readdirSync(dir).sort()) {
      const result = await readLocation({ type: 'file', target: path.join(dir, name) }, options);
      const errors = [...result.errors, ...result.entities.flatMap((e) => e.errors)];
      for (const error of errors) {
        expect(error.file).toBe(path.join(dir, name));
        expect(error.line, `${name}: ${error.message}`).toBeGreaterThan(0);
        expect(error.message.length).toBeGreaterThan(10);
      }
      if (errors.length > 0) problems[name] = [...new Set(errors.map((e) => e.kind))].sort();
      valid += result.entities.filter((e) => e.entity).length;
      expect(result.entities.length + result.errors.length, name).toBeGreaterThan(0);
    }
    expect(problems).toEqual(expectedProblems);
    expect(valid).toBeGreaterThan(150);
  });

  it('real-world: errors name the field, and the valid neighbours of a bad document survive', async () => {
    const read = (name: string) => readLocation(file('real-world', name), options);
    const kajabi = await read('Kajabi__sage-lib__docs__catalog-info.yaml');
    expect(kajabi.entities.flatMap((e) => e.errors)).toEqual([
      expect.objectContaining({ kind: 'relation', field: 'spec.dependsOn[0]', message: expect.stringMatching(/has no kind/) }),
    ]);
    const ledger = await read('LedgerHQ__device-sdk-ts__catalog-info.yml');
    expect(ledger.entities.filter((e) => e.entity).length).toBeGreaterThan(3);
    const ibm = await read('ibm-messaging__mq-dev-patterns__backstage__catalog-info.yaml');
    expect(ibm.entities.filter((e) => e.entity).map((e) => e.entity!.kind)).toEqual(['System', 'Resource']);
    const navikt = await read('navikt__g__.backstage.yaml');
    expect(navikt.errors[0]).toMatchObject({ kind: 'yaml', line: 30, column: 20 });
  });

  it('real-world-trees: each root Location resolves its relative targets and placeholders', async () => {
    const trees: Array<[string, { entities: number; invalid: number }]> = [
      ['codilime__opentelemetry-demo/backstage.yaml', { entities: 27, invalid: 0 }],
      ['grafana__terraform-provider-grafana/catalog-info.yaml', { entities: 174, invalid: 2 }], // two names over 63 chars
      ['ibm-messaging__mq-dev-patterns/backstage/catalog-info.yaml', { entities: 16, invalid: 6 }], // $text targets not copied
      ['redhat-developer__rhdh/catalog-entities/all.yaml', { entities: 18, invalid: 2 }], // remote $openapi
      ['xpinjection__test-driven-spring-boot/docs/catalog-info.yaml', { entities: 8, invalid: 1 }], // remote $text
    ];
    for (const [root, expected] of trees) {
      const result = await crawl(file('real-world-trees', root));
      expect(result.errors, root).toEqual([]);
      expect({ entities: result.entities.length, invalid: invalid(result.entities).length }, root).toEqual(expected);
    }
    const ibm = await crawl(file('real-world-trees/ibm-messaging__mq-dev-patterns/backstage/catalog-info.yaml'));
    const template = ibm.entities.find((e) => e.entity?.kind === 'Template');
    expect(template?.entity?.spec?.steps).toEqual(expect.any(Array)); // $yaml placeholders resolved
  });
});
