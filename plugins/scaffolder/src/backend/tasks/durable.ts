import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { listFiles, writeWorkspaceFile } from '../workspace.js';

/** One file of a workspace snapshot: its content is in `workspace_blobs` under `hash`. */
export interface SnapshotFile {
  path: string;
  hash: string;
  executable: boolean;
}

/**
 * Records the workspace as it is after a step: each file's sha256 in the manifest, each content
 * once in `workspace_blobs` (content-addressed, so unchanged files across steps and tasks cost
 * nothing more). Only contents the store lacks are sent.
 */
export async function snapshotWorkspace(db: Knex, workspace: string): Promise<SnapshotFile[]> {
  const files = await listFiles(workspace);
  const manifest: SnapshotFile[] = [];
  const contents = new Map<string, Buffer>();
  for (const f of files) {
    const content = await fs.readFile(path.join(workspace, f.path));
    const hash = createHash('sha256').update(content).digest('hex');
    manifest.push({ path: f.path, hash, executable: f.executable });
    contents.set(hash, content);
  }
  const hashes = [...contents.keys()];
  for (let i = 0; i < hashes.length; i += 500) {
    const chunk = hashes.slice(i, i + 500);
    const known = new Set(((await db('workspace_blobs').whereIn('hash', chunk).select('hash')) as Array<{ hash: string }>).map((r) => r.hash));
    const missing = chunk.filter((h) => !known.has(h));
    for (let j = 0; j < missing.length; j += 50) {
      const rows = missing.slice(j, j + 50).map((hash) => ({ hash, content: contents.get(hash)!, size: contents.get(hash)!.length }));
      await db('workspace_blobs').insert(rows).onConflict('hash').ignore();
    }
  }
  return manifest;
}

/** Writes a snapshot's files into an empty workspace (paths are confined to it like any step's writes). */
export async function restoreWorkspace(db: Knex, workspace: string, manifest: SnapshotFile[]): Promise<void> {
  const hashes = [...new Set(manifest.map((f) => f.hash))];
  const blobs = new Map<string, Buffer>();
  for (let i = 0; i < hashes.length; i += 200) {
    const rows = (await db('workspace_blobs')
      .whereIn('hash', hashes.slice(i, i + 200))
      .select('hash', 'content')) as Array<{ hash: string; content: Buffer | Uint8Array }>;
    for (const r of rows) blobs.set(r.hash, Buffer.from(r.content));
  }
  for (const f of manifest) {
    const content = blobs.get(f.hash);
    if (!content) throw new Error(`The workspace snapshot lacks the content of ${f.path} (${f.hash.slice(0, 12)})`);
    await writeWorkspaceFile(workspace, f.path, content, f.executable ? 0o755 : 0o644);
  }
}

/** Drops stored contents no snapshot of an unfinished task refers to any more. */
export async function collectBlobs(db: Knex): Promise<number> {
  return db
    .raw(
      `delete from workspace_blobs b
      where b.created_at < now() - interval '10 minutes'
        and not exists (
          select 1 from task_steps s join tasks t on t.id = s.task_id,
                 jsonb_array_elements(coalesce(s.files, '[]'::jsonb)) f
           where t.status not in ('completed', 'cancelled') and f->>'hash' = b.hash)`,
    )
    .then((r: { rowCount?: number; affectedRows?: number }) => Number(r.rowCount ?? r.affectedRows ?? 0));
}

const ISO_DURATION = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * A duration as templates write it: seconds as a number (or numeric string), or ISO 8601
 * (`PT30M`, `P1DT2H`, `PT0.5S`). Undefined for anything else.
 */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const m = ISO_DURATION.exec(text);
  if (!m || text === 'P' || /T$/i.test(text)) return undefined;
  const [d, h, min, s] = m.slice(1).map((x) => (x ? Number(x) : 0)) as [number, number, number, number];
  return ((d * 24 + h) * 60 + min) * 60_000 + s * 1000;
}

/** "90 s", "5 min", "2 h", "3 days": for messages. */
export function describeMs(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 2 * 86_400_000) return `${Math.round(ms / 360_000) / 10} h`;
  return `${Math.round(ms / 8_640_000) / 10} days`;
}
