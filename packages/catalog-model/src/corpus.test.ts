/**
 * Runs the validator over the shared corpus of real catalog files
 * (../shared/corpus/catalog, next to the repository): Backstage's own examples, single
 * descriptors from public repositories, and a few whole repository trees. Every document
 * was classified by reading it; the tables below say what each invalid one gets wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { CustomKindDefinition } from './kindDefinition.js';
import { createEntityValidator } from './validator.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const corpusDir = path.resolve(repoRoot, '../shared/corpus/catalog');
const haveCorpus = fs.existsSync(corpusDir);

type Doc = { key: string; file: string; doc: unknown };

function listYamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listYamlFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

/**
 * Substitutes Backstage's `$text` / `$yaml` / `$json` placeholders the way the catalog does
 * when it reads a descriptor: relative to the file. A `$text` whose file is not in the corpus
 * becomes a stand-in string (the descriptor is still valid); an unresolvable `$yaml` or
 * `$json` stays, and validation then says so.
 */
function resolvePlaceholders(value: unknown, dir: string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolvePlaceholders(v, dir));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const [only] = entries;
  if (entries.length === 1 && only && ['$text', '$yaml', '$json'].includes(only[0]) && typeof only[1] === 'string') {
    const [kind, target] = only;
    const file = /^[a-z]+:\/\//.test(target) ? undefined : path.resolve(dir, target);
    const text = file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (kind === '$text') return text ?? `(contents of ${target})`;
    if (text === undefined) return value;
    return kind === '$yaml' ? load(text) : JSON.parse(text);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolvePlaceholders(v, dir)]));
}

const files = haveCorpus ? listYamlFiles(corpusDir) : [];
const yamlErrors: string[] = [];
const docs: Doc[] = [];
for (const file of files) {
  const rel = path.relative(corpusDir, file).split(path.sep).join('/');
  try {
    loadAll(fs.readFileSync(file, 'utf8')).forEach((doc, i) => {
      // Empty documents (a trailing `---`) are skipped, as Backstage's reader does.
      if (doc !== null && doc !== undefined) {
        docs.push({ key: `${rel}#${i + 1}`, file, doc: resolvePlaceholders(doc, path.dirname(file)) });
      }
    });
  } catch {
    yamlErrors.push(rel);
  }
}
const byKey = new Map(docs.map((d) => [d.key, d]));

/** Files that are not YAML at all: templated skeletons and a broken descriptor. */
const NOT_YAML = [
  // A scaffolder skeleton with Nunjucks `{%- if %}` blocks; valid only after templating.
  'real-world/awslabs__harmonix__backstage-reference__templates__aws-rds-resource__content__.backstage__catalog-info.yaml',
  // `definition: $text: https://…` on one line.
  'real-world/navikt__g__.backstage.yaml',
];

/** YAML documents that are not entity descriptors: API definitions, fragments, other tools' files. */
const NOT_ENTITIES = [
  'backstage-examples/apis/petstore.oas.yaml#1', // OpenAPI document behind a $text placeholder
  'backstage-examples/apis/petstore-webhook.oas.yaml#1', // OpenAPI
  'real-world-trees/ibm-messaging__mq-dev-patterns/backstage/asyncapi/sample.yaml#1', // AsyncAPI
  'real-world-trees/ibm-messaging__mq-dev-patterns/backstage/components/resource-links.yaml#1', // $yaml fragment: links
  'real-world-trees/ibm-messaging__mq-dev-patterns/backstage/templates/dotnet-steps.yaml#1', // $yaml fragments: template steps,
  'real-world-trees/ibm-messaging__mq-dev-patterns/backstage/templates/go-steps.yaml#1', //   parameters and output
  'real-world-trees/ibm-messaging__mq-dev-patterns/backstage/templates/inputparams.yaml#1',
  'real-world-trees/ibm-messaging__mq-dev-patterns/backstage/templates/jms-steps.yaml#1',
  'real-world-trees/ibm-messaging__mq-dev-patterns/backstage/templates/node-steps.yaml#1',
  'real-world-trees/ibm-messaging__mq-dev-patterns/backstage/templates/outputlinks.yaml#1',
  'real-world-trees/ibm-messaging__mq-dev-patterns/backstage/templates/python-steps.yaml#1',
  'real-world-trees/ibm-messaging__mq-dev-patterns/backstage/templates/repo-def.yaml#1',
  'real-world-trees/ibm-messaging__mq-dev-patterns/backstage/templates/spring-steps.yaml#1',
  'real-world/LLNL__radiuss-shared-ci__catalog-info.yml#1', // GitLab CI/CD catalog metadata
  'real-world/armosec__backstage-plugin__backstage.yaml#1', // Backstage plugin-directory listing
];

const IBM = 'real-world/ibm-messaging__mq-dev-patterns__backstage__catalog-info.yaml';
const GRAFANA = 'real-world-trees/grafana__terraform-provider-grafana/internal/resources';
const AI = 'real-world/backstage__demo__examples__ai-resources.yaml';

/** Entity documents Backstage would reject, with the fields that are wrong. */
const INVALID: Record<string, string[]> = {
  // Names of 64 characters, one over the limit.
  [`${GRAFANA}/cloud/catalog-resource.yaml#7`]: ['metadata.name'],
  [`${GRAFANA}/cloudprovider/catalog-resource.yaml#3`]: ['metadata.name'],
  // `dependsOn` at the root instead of under spec.
  'real-world/1-Platform__one-platform__catalog__resources__CouchDB.yaml#1': ['dependsOn'],
  // Components without a lifecycle (and one without an owner).
  'real-world/EffortlessMetrics__Rust-Template__backstage__catalog-info.yaml#1': ['spec.lifecycle'],
  'real-world/spotify__web-scripts__catalog-info.yaml#1': ['spec.lifecycle'],
  'real-world/patterninc__caterpillar__backstage.yaml#1': ['spec.lifecycle', 'spec.owner'],
  // A Location with no spec at all.
  'real-world/Geotab__mygeotab-api-adapter__catalog-info.yml#2': ['spec'],
  // labels written as a list, and links with empty urls.
  'real-world/JamesStewy__go-mysqldump__catalog-info.yml#1': ['metadata.labels', 'metadata.links[0].url', 'metadata.links[1].url'],
  // dependsOn without a kind: Backstage cannot tell a Component from a Resource.
  'real-world/Kajabi__sage-lib__docs__catalog-info.yaml#1': ['spec.dependsOn[0]'],
  // Spaces in the name.
  'real-world/OctopusDeploy__mssql-docker__.backstage__catalog-info.yaml#1': ['metadata.name'],
  // Scaffolder skeletons: `${{ values.name }}` is not a name until the template runs.
  'real-world/cosmonic-labs__mcp-server-template-ts__catalog-info.yaml#1': ['metadata.name'],
  'real-world/env0__env0-backstage-plugin__examples__templates__env0-create-environment__template__catalog-info.yaml#1': [
    'metadata.name',
    'metadata.links[0].url',
  ],
  'real-world/ibm-messaging__mq-dev-patterns__Python__services__catalog-app.yaml#1': ['metadata.name'],
  // A kind with a space, and a tag with one.
  'real-world/enonic__app-sitemap-xml__backstage.yaml#1': ['kind', 'metadata.tags[1]'],
  // An annotation set to null and `links:` left empty (null).
  'real-world/openedx__edx-lint__catalog-info.yaml#1': ['metadata.annotations["openedx.org/release"]', 'metadata.links'],
  // `$openapi` is a Red Hat Developer Hub placeholder, not a Backstage one.
  'real-world/redhat-developer__rhdh__catalog-entities__apis__petstore.yaml#1': ['spec.definition'],
  'real-world-trees/redhat-developer__rhdh/catalog-entities/apis/petstore.yaml#1': ['spec.definition'],
  'real-world-trees/redhat-developer__rhdh/catalog-entities/apis/nexus-repo-manager-3.yaml#1': ['spec.definition'],
  // This copy of the IBM descriptor was taken out of its repository, so its $yaml
  // placeholders have nothing to read (the real-world-trees copy resolves them).
  [`${IBM}#2`]: ['metadata.links'],
  // (Only steps fails: an object is a valid `parameters`, and `output` allows any string
  // entry, which `$yaml: ./file` is.)
  ...Object.fromEntries([11, 12, 13, 14, 15, 16].map((n) => [`${IBM}#${n}`, ['spec.steps']])),
  // AiResource is newer than the kinds Atrium builds in; see the custom kind test below.
  ...Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`${AI}#${n}`, ['kind']])),
};

describe.skipIf(!haveCorpus)(`catalog corpus (${corpusDir})`, () => {
  const validator = createEntityValidator();

  it('has the files this test was written against', () => {
    expect(files.length).toBeGreaterThan(200);
    for (const key of [...NOT_ENTITIES, ...Object.keys(INVALID)]) expect(byKey.has(key), key).toBe(true);
  });

  it('fails to parse exactly the files that are not YAML', () => {
    expect(yamlErrors).toEqual(NOT_YAML);
  });

  it('classifies as non-entities exactly the documents with neither apiVersion nor kind', () => {
    const found = docs
      .filter(({ doc }) => typeof doc !== 'object' || Array.isArray(doc) || !('apiVersion' in (doc as object) || 'kind' in (doc as object)))
      .map((d) => d.key);
    expect(found.sort()).toEqual([...NOT_ENTITIES].sort());
    for (const key of NOT_ENTITIES) {
      const paths = validator.validate(byKey.get(key)?.doc).errors.map((e) => e.path);
      expect(paths[0] === '' || paths.slice(0, 3).join() === 'apiVersion,kind,metadata', key).toBe(true);
    }
  });

  it('accepts every other entity, and rejects the invalid ones for the stated fields', () => {
    const outcomes: Record<string, string[]> = {};
    for (const { key, doc } of docs) {
      if (NOT_ENTITIES.includes(key)) continue;
      const { errors } = validator.validate(doc, { rejectOutputFields: true });
      if (errors.length > 0 || key in INVALID) outcomes[key] = errors.map((e) => e.path);
    }
    expect(outcomes).toEqual(INVALID);
    expect(docs.length - NOT_ENTITIES.length - Object.keys(INVALID).length).toBeGreaterThan(400);
  });

  it('explains the known problems in words', () => {
    const messages = (key: string) => validator.validate(byKey.get(key)?.doc).errors.map((e) => e.message);
    expect(messages('real-world/OctopusDeploy__mssql-docker__.backstage__catalog-info.yaml#1')).toEqual([
      'metadata.name "Custom MS SQL Docker" is not valid: it must be sequences of [a-zA-Z0-9] separated by any of "-", "_" and ".", starting and ending with a letter or digit',
    ]);
    expect(messages(`${GRAFANA}/cloud/catalog-resource.yaml#7`)).toEqual([
      'metadata.name "resource-grafana_cloud_private_data_source_connect_network_token" is not valid: it must be at most 63 characters long, but is 64',
    ]);
    expect(messages('real-world/1-Platform__one-platform__catalog__resources__CouchDB.yaml#1')[0]).toMatch(/^Unknown root field "dependsOn"/);
    expect(messages('real-world/Kajabi__sage-lib__docs__catalog-info.yaml#1')).toEqual([
      'spec.dependsOn[0] is not a valid entity ref: Entity ref "sage-packs" has no kind and none can be assumed here; write it with a kind, e.g. "component:sage-packs"',
    ]);
    expect(messages(`${IBM}#11`)).toEqual([
      'spec.steps must be an array, but is an object (it is an unresolved $yaml placeholder; the catalog substitutes these when it reads the descriptor)',
    ]);
    expect(messages('real-world/openedx__edx-lint__catalog-info.yaml#1')[0]).toBe('metadata.annotations["openedx.org/release"] must be a string, but is null');
  });

  it('validates the IBM templates once their $yaml parameters, steps and output are read in', () => {
    const tree = 'real-world-trees/ibm-messaging__mq-dev-patterns/backstage/catalog-info.yaml';
    for (const n of [11, 12, 13, 14, 15, 16]) {
      const doc = byKey.get(`${tree}#${n}`)?.doc as { kind: string; spec: { steps: unknown[]; parameters: unknown[] } };
      expect(doc.kind).toBe('Template');
      expect(doc.spec.steps.length).toBeGreaterThan(0);
      expect(validator.validate(doc).errors).toEqual([]);
    }
    const node = byKey.get(`${tree}#11`)?.doc as { spec: { steps: Array<{ action: string }>; parameters: unknown[] } };
    expect(node.spec.steps.map((s) => s.action)).toEqual(['fetch:template', 'publish:github', 'catalog:register']);
    expect(node.spec.parameters).toHaveLength(3);
    expect(validator.relations(node).relations[0]).toEqual({
      sourceRef: 'template:default/mq-nodejs-template',
      type: 'ownedBy',
      targetRef: 'group:default/ibm-mq-devex',
    });
  });

  it('relates the Backstage example component the way Backstage does', () => {
    const doc = byKey.get('backstage-examples/components/artist-lookup-component.yaml#1')?.doc;
    expect(validator.relations(doc)).toEqual({
      errors: [],
      relations: [
        { sourceRef: 'component:default/artist-lookup', type: 'ownedBy', targetRef: 'group:default/team-a' },
        { sourceRef: 'group:default/team-a', type: 'ownerOf', targetRef: 'component:default/artist-lookup' },
        { sourceRef: 'component:default/artist-lookup', type: 'partOf', targetRef: 'system:default/artist-engagement-portal' },
        { sourceRef: 'system:default/artist-engagement-portal', type: 'hasPart', targetRef: 'component:default/artist-lookup' },
        { sourceRef: 'component:default/artist-lookup', type: 'dependsOn', targetRef: 'resource:default/artists-db' },
        { sourceRef: 'resource:default/artists-db', type: 'dependencyOf', targetRef: 'component:default/artist-lookup' },
      ],
    });
  });

  it('accepts an MCP server API with remotes and no definition', () => {
    const doc = byKey.get('real-world/backstage__demo__examples__mcp-server-api.yaml#1')?.doc;
    expect(validator.validate(doc)).toEqual({ ok: true, errors: [] });
    expect(validator.relations(doc).relations[0]?.targetRef).toBe('group:backstage/maintainers');
  });

  it('produces no relation errors for any valid entity', () => {
    for (const { key, doc } of docs) {
      if (NOT_ENTITIES.includes(key) || key in INVALID) continue;
      expect(validator.relations(doc).errors, key).toEqual([]);
    }
  });

  it('accepts the AiResource documents once AiResource is declared as a custom kind', () => {
    const aiResource: CustomKindDefinition = {
      apiVersion: ['backstage.io/v1alpha1', 'backstage.io/v1beta1'],
      kind: 'AiResource',
      description: 'An AI skill, rule, plugin or marketplace (declared here without code).',
      specSchema: {
        type: 'object',
        required: ['type', 'lifecycle', 'owner'],
        properties: {
          type: { type: 'string', minLength: 1 },
          lifecycle: { type: 'string', minLength: 1 },
          owner: { type: 'string', minLength: 1 },
          system: { type: 'string', minLength: 1 },
          dependsOn: { type: 'array', items: { type: 'string', minLength: 1 } },
        },
      },
      relations: [
        { field: 'owner', type: 'ownedBy', inverse: 'ownerOf', targetKind: 'Group' },
        { field: 'system', type: 'partOf', inverse: 'hasPart', targetKind: 'System' },
        { field: 'dependsOn', type: 'dependsOn', inverse: 'dependencyOf' },
      ],
    };
    const withAi = createEntityValidator({ customKinds: [aiResource] });
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const doc = byKey.get(`${AI}#${n}`)?.doc;
      expect(withAi.validate(doc).errors, `${AI}#${n}`).toEqual([]);
      expect(withAi.relations(doc).relations.length).toBeGreaterThan(0);
    }
  });
});
