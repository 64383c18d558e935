import fs from 'node:fs';
import path from 'node:path';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { StartupError } from '../host/StartupError.js';
import { ConfigBundle, isPlainObject, recordOrigins, type ConfigObject } from './ConfigBundle.js';
import { substituteEnv } from './substituteEnv.js';

export interface LoadConfigOptions {
  /** Directory holding app-config.yaml (the repository root). */
  rootDir: string;
  /** Extra files from `--config`, applied in order after the defaults; relative to cwd. */
  configFiles?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Reads app-config.yaml, then app-config.local.yaml when present, then each `--config` file.
 * Later files win key by key; arrays are replaced, not merged. `${VAR}` is read from the environment.
 */
export function loadConfig(options: LoadConfigOptions): ConfigBundle {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const files: string[] = [];
  const base = path.join(options.rootDir, 'app-config.yaml');
  if (fs.existsSync(base)) files.push(base);
  const local = path.join(options.rootDir, 'app-config.local.yaml');
  if (fs.existsSync(local)) files.push(local);
  for (const f of options.configFiles ?? []) {
    const abs = path.resolve(cwd, f);
    if (!fs.existsSync(abs)) {
      throw new StartupError(`Config file ${abs} (given with --config) does not exist.`);
    }
    files.push(abs);
  }

  const data: ConfigObject = {};
  const origins = new Map<string, string>();
  for (const file of files) {
    const doc = readConfigFile(file, env);
    mergeInto(data, doc, '', file, origins);
  }
  return new ConfigBundle(data, origins, options.rootDir);
}

function readConfigFile(file: string, env: NodeJS.ProcessEnv): ConfigObject {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new StartupError(`Cannot read config file ${file}: ${(e as Error).message}.`);
  }
  let doc: unknown;
  try {
    doc = loadYaml(text, { filename: file, schema: CORE_SCHEMA });
  } catch (e) {
    const err = e as { mark?: { line: number; column: number }; reason?: string; message: string };
    const where = err.mark ? `${file}:${err.mark.line + 1}:${err.mark.column + 1}` : file;
    throw new StartupError(`Invalid YAML in config file ${where}: ${err.reason ?? err.message}.`);
  }
  if (doc === undefined || doc === null) return {};
  if (!isPlainObject(doc)) {
    throw new StartupError(`Config file ${file} must contain a YAML mapping at the top level.`);
  }
  return substituteEnv(doc, env, file) as ConfigObject;
}

function mergeInto(target: ConfigObject, source: ConfigObject, prefix: string, file: string, origins: Map<string, string>): void {
  for (const [key, value] of Object.entries(source)) {
    const keyPath = prefix ? `${prefix}.${key}` : key;
    const existing = target[key];
    if (isPlainObject(value) && isPlainObject(existing)) {
      mergeInto(existing, value, keyPath, file, origins);
    } else {
      target[key] = isPlainObject(value) ? structuredClone(value) : value;
      for (const k of [...origins.keys()]) if (k.startsWith(`${keyPath}.`)) origins.delete(k);
      recordOrigins(value, keyPath, file, origins);
    }
  }
}
