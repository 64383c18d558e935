import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import type { ServiceFactory } from '@atrium/backend-plugin-api';
import { startTestBackend, type TestBackend, type TestDatabaseKind } from '@atrium/test-utils';
import type { DocsEntityDetail } from '../../common/index.js';
import { techdocsPlugin, techdocsServiceRef, type TechdocsService } from '../plugin.js';

export interface TechdocsTestkit {
  backend: TestBackend;
  /** Temp folder holding catalog-info.yaml files and docs; an allowed root. */
  dir: string;
  service: TechdocsService;
  write(relative: string, content: string | Buffer): string;
  api<T = any>(p: string, init?: Omit<RequestInit, 'body'> & { body?: unknown }): Promise<{ status: number; body: T }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Waits until the entity's last build finished after `since` (ms), and returns its detail. */
  waitForBuild(ref: { namespace?: string; kind: string; name: string }, since?: number, timeoutMs?: number): Promise<DocsEntityDetail>;
  waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export function componentYaml(name: string, techdocsRef: string | null, extra: Record<string, string> = {}): string {
  const annotations = techdocsRef === null ? '' : `\n  annotations:\n    backstage.io/techdocs-ref: ${JSON.stringify(techdocsRef)}`;
  const more = Object.entries(extra)
    .map(([k, v]) => `\n  ${k}: ${JSON.stringify(v)}`)
    .join('');
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}${more}${annotations}
spec:
  type: service
  lifecycle: production
  owner: team-a
`;
}

/**
 * A backend with the catalog and TechDocs plugins, reading a temp folder whose
 * `catalog-info.yaml` (a Location or entities) the test writes.
 */
export async function startTechdocs(
  database: TestDatabaseKind,
  options: {
    files?: Record<string, string | Buffer>;
    techdocs?: Record<string, unknown>;
    extraRoots?: string[];
    catalogTargets?: string[];
    postgresUrl?: string;
    replicaId?: string;
    dir?: string;
    /** Core service overrides, e.g. a permissions policy. */
    services?: readonly ServiceFactory[];
    /** More top-level config, e.g. `permission`. */
    config?: Record<string, unknown>;
  } = {},
): Promise<TechdocsTestkit> {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-techdocs-'));
  const write = (relative: string, content: string | Buffer) => {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  };
  for (const [file, content] of Object.entries(options.files ?? {})) write(file, content);
  const targets = options.catalogTargets ?? [path.join(dir, 'catalog-info.yaml')];
  const backend = await startTestBackend({
    database,
    plugins: [catalogPlugin, techdocsPlugin],
    configDir: dir,
    ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}),
    ...(options.replicaId ? { replicaId: options.replicaId } : {}),
    ...(options.services ? { services: options.services } : {}),
    config: {
      catalog: {
        processingPollMs: 100,
        refreshIntervalSeconds: 3600,
        readers: { fileRoots: [dir, ...(options.extraRoots ?? [])] },
        locations: targets.map((target) => ({ type: 'file', target })),
      },
      techdocs: {
        allowedRoots: [dir, ...(options.extraRoots ?? [])],
        refreshIntervalSeconds: 3600,
        builder: { pollIntervalMs: 100 },
        git: { cacheDir: path.join(dir, '.git-cache') },
        ...(options.techdocs ?? {}),
      },
      ...(options.config ?? {}),
    },
  });
  const service = backend.backend.service(techdocsServiceRef);
  const api = <T>(p: string, init?: Omit<RequestInit, 'body'> & { body?: unknown }) => backend.json<T>(`/api/techdocs${p}`, init);
  const waitFor = async <T>(check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const result = await check();
      if (result) return result;
      if (Date.now() > end) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    backend,
    dir,
    service,
    write,
    api,
    waitFor,
    waitForBuild: (ref, since = 0, timeoutMs = 60_000) =>
      waitFor(async () => {
        const r = await api<DocsEntityDetail>(`/entities/${ref.namespace ?? 'default'}/${ref.kind}/${ref.name}`);
        if (r.status !== 200) return undefined;
        const finished = r.body.build.lastBuildFinishedAt ? Date.parse(r.body.build.lastBuildFinishedAt) : 0;
        const busy = r.body.build.status === 'queued' || r.body.build.status === 'building';
        return finished >= since && finished > 0 && !busy ? r.body : undefined;
      }, timeoutMs),
    async stop() {
      await backend.stop();
      if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
