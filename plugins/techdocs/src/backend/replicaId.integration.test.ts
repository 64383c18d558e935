import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testDatabaseKinds, waitFor } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { componentYaml, startTechdocs, type TechdocsTestkit } from './testing/techdocsTestkit.testing.js';

/** A git server that takes requests and answers none, so a build stays claimed while we look. */
function silentGitServer() {
  const held = new Set<http.ServerResponse>();
  const server = http.createServer((_req, res) => void held.add(res));
  return {
    held,
    listen: () => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))),
    close: () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.each(testDatabaseKinds())('TechDocs builds on %s', (database) => {
  const git = silentGitServer();
  let kit: TechdocsTestkit;

  beforeAll(async () => {
    const port = await git.listen();
    kit = await startTechdocs(database, {
      replicaId: 'techdocs-replica-1',
      files: { 'catalog-info.yaml': componentYaml('slow', `git:http://127.0.0.1:${port}/docs.git#main`) },
      techdocs: { git: { allowPrivateNetworks: true, timeoutSeconds: 60 } },
    });
  });
  afterAll(async () => {
    await git.close();
    await kit?.stop();
  });

  it("are claimed under the replica id the host gives every plugin (ctx.instance), not one of TechDocs' own", async () => {
    // The build has claimed its entity once it asks the git server for the repository.
    await waitFor(() => git.held.size > 0, { timeoutMs: 60_000, message: 'the build to fetch from git' });
    const db = await kit.backend.backend.database.forSchema('techdocs');
    const row = await db('docs_entities').where({ entity_ref: 'component:default/slow' }).first('claimed_by');
    expect(row?.claimed_by).toBe('techdocs-replica-1');
    expect(kit.backend.backend.replicaId).toBe('techdocs-replica-1');
  });
});
