// Valid example entities of every built-in kind, shared by the tests. Each call returns
// a fresh copy, so a test may change it freely.

// Loosely typed on purpose: tests reach into and rewrite any field of these documents.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type Doc = Record<string, any>;

const examples: Record<string, Doc> = {
  Component: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'artist-web', namespace: 'default', tags: ['java'] },
    spec: {
      type: 'website',
      lifecycle: 'production',
      owner: 'team-a',
      system: 'artist-engagement',
      subcomponentOf: 'artist-portal',
      providesApis: ['artist-api'],
      consumesApis: ['api:catalog/search-api'],
      dependsOn: ['resource:artists-db'],
      dependencyOf: ['component:artist-mobile'],
    },
  },
  API: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'artist-api' },
    spec: { type: 'openapi', lifecycle: 'production', owner: 'team-a', system: 'artist-engagement', definition: 'openapi: 3.0.0' },
  },
  Resource: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'artists-db' },
    spec: { type: 'database', owner: 'team-a', system: 'artist-engagement', dependsOn: ['resource:db-cluster'], dependencyOf: ['component:artist-web'] },
  },
  System: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'artist-engagement' },
    spec: { owner: 'team-a', domain: 'artists', type: 'product' },
  },
  Domain: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name: 'artists' },
    spec: { owner: 'team-a', subdomainOf: 'music', type: 'business' },
  },
  Group: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a' },
    spec: {
      type: 'team',
      profile: { displayName: 'Team A', email: 'team-a@example.com', picture: 'https://example.com/a.png' },
      parent: 'backstage',
      children: ['team-a-web'],
      members: ['jdoe'],
    },
  },
  User: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'jdoe' },
    spec: { profile: { displayName: 'Jenny Doe', email: 'jenny@example.com' }, memberOf: ['team-a'] },
  },
  Location: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: { name: 'example-all' },
    spec: { type: 'url', targets: ['./components.yaml', './apis.yaml'], presence: 'optional' },
  },
  Template: {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'react-app', title: 'React app', annotations: { 'backstage.io/time-saved': 'PT4H' } },
    spec: {
      type: 'website',
      owner: 'team-a',
      lifecycle: 'production',
      parameters: [
        { title: 'Name', required: ['name'], properties: { name: { type: 'string', 'ui:autofocus': true } } },
        { title: 'Where', properties: { repoUrl: { type: 'string', 'ui:field': 'RepoUrlPicker' } } },
      ],
      steps: [
        { id: 'fetch', name: 'Fetch', action: 'fetch:template', input: { url: './skeleton', values: { name: '${{ parameters.name }}' } } },
        { id: 'publish', action: 'publish:github', input: { repoUrl: '${{ parameters.repoUrl }}' }, if: '${{ parameters.repoUrl }}' },
        { action: 'debug:log', if: false },
      ],
      output: {
        links: [{ title: 'Repository', url: '${{ steps.publish.output.remoteUrl }}' }],
        text: [{ title: 'Done', content: '**Created**' }],
        remoteUrl: '${{ steps.publish.output.remoteUrl }}',
      },
    },
  },
};

export const BUILTIN_KIND_NAMES = Object.keys(examples);

/** A fresh, valid entity of a built-in kind. */
export function example(kind: string): Doc {
  const doc = examples[kind];
  if (!doc) throw new Error(`no example for ${kind}`);
  return structuredClone(doc);
}
