import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackendPlugin, ServiceFactory } from '@atrium/backend-plugin-api';
import { ConfigBundle, createBackend, createLogger, type Backend } from '@atrium/backend';
import { createTestPostgresDatabase, type TestDatabaseKind, type TestPostgresDatabase } from './postgres.js';

export interface TestBackendOptions {
  plugins: BackendPlugin[];
  database?: TestDatabaseKind;
  /** Join an existing test database instead of creating a fresh one (several replicas). */
  postgresUrl?: string;
  /** Extra config merged over the test defaults. */
  config?: Record<string, unknown>;
  /** Directory that relative paths in `config` resolve against. */
  configDir?: string;
  replicaId?: string;
  /**
   * Core services to build with these factories instead of the defaults, e.g. a deny-all
   * `createServiceFactory(coreServices.permissions, () => denyAll)` or a recording audit.
   */
  services?: readonly ServiceFactory[];
}

export interface TestBackend {
  backend: Backend;
  url: string;
  /** The fresh Postgres database this backend created, when on Postgres. */
  postgresUrl?: string;
  /** fetch() relative to the backend's URL. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** GET/POST JSON helper that returns status and parsed body. */
  json<T = unknown>(path: string, init?: Omit<RequestInit, 'body'> & { body?: unknown }): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/** Starts a real backend with the chosen plugins on a random port, on PGlite (in memory) or a fresh Postgres database. */
export async function startTestBackend(options: TestBackendOptions): Promise<TestBackend> {
  const kind = options.database ?? 'pglite';
  let created: TestPostgresDatabase | undefined;
  let connection: unknown = ':memory:';
  if (kind === 'postgres') {
    if (options.postgresUrl) connection = options.postgresUrl;
    else {
      created = await createTestPostgresDatabase();
      connection = created.url;
    }
  }
  // A fresh data directory per backend unless the test names one (replicas of one test may share it).
  const ownDataDir =
    (options.config?.['backend'] as Record<string, unknown> | undefined)?.['dataDir'] === undefined
      ? fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-test-data-'))
      : undefined;
  const data = deepMerge(
    {
      backend: {
        ...(ownDataDir ? { dataDir: ownDataDir } : {}),
        baseUrl: 'http://localhost:0',
        listen: { port: 0, host: '127.0.0.1' },
        database: { client: kind === 'postgres' ? 'pg' : 'pglite', connection },
        scheduler: { pollIntervalMs: 200 },
      },
    },
    options.config ?? {},
  );
  const config = ConfigBundle.fromObject(data, options.configDir ?? process.cwd(), 'test-config.yaml');
  let backend: Backend;
  try {
    backend = await createBackend({
      config,
      plugins: options.plugins,
      logger: createLogger(process.env['LOG_LEVEL'] ?? 'silent'),
      appDistDir: null,
      ...(options.replicaId ? { replicaId: options.replicaId } : {}),
      ...(options.services ? { services: options.services } : {}),
    });
  } catch (e) {
    await created?.drop();
    if (ownDataDir) fs.rmSync(ownDataDir, { recursive: true, force: true });
    throw e;
  }
  const { url } = await backend.start();
  const doFetch = (path: string, init?: RequestInit) => fetch(new URL(path, url), init);
  return {
    backend,
    url,
    ...(kind === 'postgres' ? { postgresUrl: String(connection) } : {}),
    fetch: doFetch,
    async json<T>(path: string, init?: Omit<RequestInit, 'body'> & { body?: unknown }) {
      const hasBody = init?.body !== undefined;
      // The API wants a JSON content type on every POST, PUT and PATCH, with or without a body.
      const json = hasBody || ['POST', 'PUT', 'PATCH'].includes((init?.method ?? 'GET').toUpperCase());
      const res = await doFetch(path, {
        ...init,
        headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...(init?.headers ?? {}) },
        body: hasBody ? (typeof init!.body === 'string' ? init!.body : JSON.stringify(init!.body)) : undefined,
      } as RequestInit);
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    async stop() {
      await backend.stop();
      await created?.drop();
      if (ownDataDir) fs.rmSync(ownDataDir, { recursive: true, force: true });
    },
  };
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)
        ? deepMerge(cur as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}
