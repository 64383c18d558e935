import { StartupError } from '../host/StartupError.js';
import { isPlainObject } from './ConfigBundle.js';

// ${VAR} or ${VAR:-default}; `$${...}` escapes to a literal `${...}`.
const PATTERN = /\$?\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Replaces `${VAR}` in every string value; an unset variable without a default stops the start. */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, file: string, keyPath = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(PATTERN, (match, name: string, fallback: string | undefined) => {
      if (match.startsWith('$$')) return match.slice(1);
      const v = env[name];
      if (v !== undefined && v !== '') return v;
      if (fallback !== undefined) return fallback;
      throw new StartupError(
        `Config file ${file}, key ${keyPath || '(root)'}: environment variable ${name} is not set. ` +
          `Set it, or write \${${name}:-default} to give a default.`,
      );
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, file, `${keyPath}[${i}]`));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteEnv(v, env, file, keyPath ? `${keyPath}.${k}` : k);
    return out;
  }
  return value;
}
