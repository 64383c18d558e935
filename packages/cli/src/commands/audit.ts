import { parseArgs } from 'node:util';
import { loadConfig, openAuditLog } from '@atrium/backend';

const USAGE = 'Usage: atrium audit verify [--config FILE]... [--format text|json]';

function usageError(message: string): Error {
  const err = new Error(`${message}. ${USAGE}`);
  err.name = 'UsageError';
  return err;
}

/**
 * `atrium audit verify`: walks the audit log's hash chain in the configured database and names
 * the first record that does not match. Exit 0 when intact, 1 when broken, when there is no log, or on a usage error.
 */
export async function auditCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'verify') throw usageError(sub === undefined ? 'Missing subcommand' : `Unknown subcommand "${sub}"`);
  let values: { config?: string[] | undefined; format?: string | undefined };
  try {
    ({ values } = parseArgs({ args: rest, options: { config: { type: 'string', multiple: true, short: 'c' }, format: { type: 'string' } }, strict: true }));
  } catch (e) {
    throw usageError((e as Error).message);
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw usageError(`Unknown format "${format}"`);
  const config = loadConfig({ rootDir: process.cwd(), configFiles: values.config ?? [] });
  const log = await openAuditLog(config);
  try {
    if (!log.store) {
      if (format === 'json') console.log(JSON.stringify({ ok: false, reason: 'no audit log in this database' }));
      else console.error('atrium audit verify: this database has no audit log (the portal has never started on it)');
      return 1;
    }
    const result = await log.store.verify();
    if (format === 'json') console.log(JSON.stringify(result));
    else if (result.ok) {
      console.log(
        `audit log intact: ${result.checked} records verified${result.fromCheckpoint ? ` (after the retention checkpoint at record ${result.fromCheckpoint})` : ''}`,
      );
    } else {
      console.error(
        `audit log TAMPERED: record ${result.brokenAt.id} (${result.brokenAt.time}): ${result.reason}; ${result.checked} records before it verified`,
      );
    }
    return result.ok ? 0 : 1;
  } finally {
    await log.close();
  }
}
