import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestBackend, type TestBackend, type TestDatabaseKind } from '@atrium/test-utils';
import { catalogPlugin } from '../plugin.js';

/** fetch options whose body may be any JSON value. */
export type JsonInit = Omit<RequestInit, 'body'> & { body?: unknown };

export interface CatalogTestkit {
  backend: TestBackend;
  /** Temp directory for descriptor files; also the allowed file root. */
  dir: string;
  write(relative: string, content: string): string;
  remove(relative: string): void;
  json<T = any>(path: string, init?: JsonInit): Promise<{ status: number; body: T }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/** Starts a backend with only the catalog plugin and a temp directory it may read. */
export async function startCatalog(
  database: TestDatabaseKind,
  options: {
    catalog?: Record<string, unknown>;
    /** Extra `backend:` config, e.g. an on-disk embedded database. */
    backend?: Record<string, unknown>;
    /** The `auth:` section, e.g. guest sign-in off. */
    auth?: Record<string, unknown>;
    files?: Record<string, string>;
    postgresUrl?: string;
    replicaId?: string;
    dir?: string;
    /** Plugins started beside the catalog (e.g. one that observes a core service). */
    plugins?: Parameters<typeof startTestBackend>[0]['plugins'];
  } = {},
): Promise<CatalogTestkit> {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-catalog-'));
  const write = (relative: string, content: string) => {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  };
  for (const [file, content] of Object.entries(options.files ?? {})) write(file, content);
  const backend = await startTestBackend({
    database,
    plugins: [catalogPlugin, ...(options.plugins ?? [])],
    configDir: dir,
    ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}),
    ...(options.replicaId ? { replicaId: options.replicaId } : {}),
    config: {
      ...(options.backend ? { backend: options.backend } : {}),
      ...(options.auth ? { auth: options.auth } : {}),
      catalog: {
        processingPollMs: 100,
        ...(options.catalog ?? {}),
        readers: { fileRoots: [dir], ...((options.catalog?.['readers'] as object | undefined) ?? {}) },
      },
    },
  });
  return {
    backend,
    dir,
    write,
    remove: (relative) => fs.rmSync(path.join(dir, relative), { force: true }),
    json: (p, init) => backend.json(`/api/catalog${p}`, init as RequestInit),
    async waitFor(check, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const result = await check();
        if (result) return result;
        if (Date.now() > end) throw new Error('condition not met in time');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      await backend.stop();
      if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A multi-document YAML file from entity objects (JSON is valid YAML). */
export function yamlDocs(...entities: object[]): string {
  return entities.map((e) => JSON.stringify(e)).join('\n---\n');
}

export function component(name: string, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): object {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, ...metadata },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a', ...spec },
  };
}

export function group(name: string, spec: Record<string, unknown> = {}): object {
  return { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name }, spec: { type: 'team', children: [], ...spec } };
}
