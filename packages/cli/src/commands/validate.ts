import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@atrium/backend';
import type { CustomKindDefinition } from '@atrium/catalog-model';
import { readLocation, type IngestionError } from '@atrium/plugin-catalog/backend';
import { glob } from 'tinyglobby';

interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
  field?: string;
  entityRef?: string;
  kind: string;
}

const USAGE = 'Usage: atrium validate [--format text|json] [--config FILE]... <file|glob>...';

/**
 * `atrium validate <files|globs>`: checks catalog-info.yaml files offline with the catalog's own
 * reader and schemas (custom kinds from app-config included). Prints `file:line:column: message`
 * per problem, or JSON with --format json; exits 1 when anything is invalid.
 */
export async function validateCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { format: { type: 'string', default: 'text' }, config: { type: 'string', multiple: true, short: 'c' } },
    });
  } catch (e) {
    console.error(`atrium validate: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.format !== 'text' && values.format !== 'json') {
    console.error(`atrium validate: --format must be text or json, not "${values.format}"\n${USAGE}`);
    return 2;
  }
  if (positionals.length === 0) {
    console.error(`atrium validate: name at least one file or glob\n${USAGE}`);
    return 2;
  }
  const cwd = process.cwd();
  const customKinds = readCustomKinds(cwd, values.config ?? []);
  const files = await expand(positionals, cwd);
  const problems: Problem[] = [];
  let entityCount = 0;
  for (const missing of files.missing) {
    problems.push({ file: missing, line: 1, column: 1, message: 'no such file, or no file matches this pattern', kind: 'read' });
  }
  for (const file of files.found) {
    const result = await readLocation({ type: 'file', target: file }, { fileRoots: [cwd, path.dirname(file)], customKinds, allowPrivateNetworks: false });
    for (const err of result.errors) problems.push(toProblem(err, file));
    for (const e of result.entities) {
      if (e.entity) entityCount++;
      for (const err of e.errors) problems.push({ ...toProblem(err, file), ...(e.entityRef ? { entityRef: e.entityRef } : {}) });
    }
  }
  const shown = (f: string) => path.relative(cwd, f) || f;
  if (values.format === 'json') {
    console.log(
      JSON.stringify(
        { valid: problems.length === 0, files: files.found.map(shown), entities: entityCount, problems: problems.map((p) => ({ ...p, file: shown(p.file) })) },
        null,
        2,
      ),
    );
  } else {
    for (const p of problems) console.log(`${shown(p.file)}:${p.line}:${p.column}: ${p.message}`);
    const summary = `${files.found.length} file(s), ${entityCount} valid entit${entityCount === 1 ? 'y' : 'ies'}, ${problems.length} problem(s)`;
    (problems.length ? console.error : console.log)(summary);
  }
  return problems.length > 0 ? 1 : 0;
}

function toProblem(err: IngestionError, fallbackFile: string): Problem {
  const file = err.file.startsWith('file:') ? err.file.slice(5) : err.file || fallbackFile;
  return {
    file,
    line: err.line ?? 1,
    column: err.column ?? 1,
    message: err.message,
    kind: err.kind,
    ...(err.field ? { field: err.field } : {}),
  };
}

async function expand(patterns: string[], cwd: string): Promise<{ found: string[]; missing: string[] }> {
  const found = new Set<string>();
  const missing: string[] = [];
  for (const pattern of patterns) {
    const abs = path.resolve(cwd, pattern);
    if (fs.existsSync(abs) && fs.statSync(abs).isFile()) {
      found.add(abs);
      continue;
    }
    const matches = await glob(pattern, { cwd, absolute: true, onlyFiles: true, ignore: ['**/node_modules/**'] });
    if (matches.length === 0) missing.push(abs);
    for (const m of matches) found.add(m);
  }
  return { found: [...found].sort(), missing };
}

/** Custom kinds declared in app-config (catalog.kinds), when an app-config is found in the working directory. */
function readCustomKinds(cwd: string, configFiles: string[]): CustomKindDefinition[] {
  if (configFiles.length === 0 && !fs.existsSync(path.join(cwd, 'app-config.yaml'))) return [];
  const config = loadConfig({ rootDir: cwd, configFiles, env: { ...process.env } });
  const kinds = config.get('catalog.kinds');
  return Array.isArray(kinds) ? (kinds as CustomKindDefinition[]) : [];
}
