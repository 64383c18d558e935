import path from 'node:path';

export type ConfigObject = Record<string, unknown>;

/**
 * The merged configuration plus where each key came from, so errors can name the file and
 * relative paths (file locations, data directories) resolve against the file that set them.
 */
export class ConfigBundle {
  constructor(
    readonly data: ConfigObject,
    private readonly origins: Map<string, string>,
    private readonly defaultDir: string,
  ) {}

  static fromObject(data: ConfigObject, baseDir: string, label = '<inline config>'): ConfigBundle {
    const origins = new Map<string, string>();
    recordOrigins(data, '', path.join(baseDir, label), origins);
    return new ConfigBundle(data, origins, baseDir);
  }

  /** The file that set `keyPath` (dot path), or the closest ancestor key that has one. */
  originOf(keyPath: string): string | undefined {
    let key = keyPath;
    for (;;) {
      const file = this.origins.get(key);
      if (file) return file;
      const cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
      if (cut <= 0) return this.origins.get('');
      key = key.slice(0, cut);
    }
  }

  /** Directory against which a relative path found at `keyPath` is resolved. */
  baseDirOf(keyPath: string): string {
    const file = this.originOf(keyPath);
    return file ? path.dirname(file) : this.defaultDir;
  }

  get(keyPath: string): unknown {
    return getPath(this.data, keyPath);
  }
}

export function getPath(data: unknown, keyPath: string): unknown {
  let cur: unknown = data;
  for (const part of keyPath.split('.').filter(Boolean)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function isPlainObject(v: unknown): v is ConfigObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Records `file` as the origin of every key under `value`. */
export function recordOrigins(value: unknown, prefix: string, file: string, origins: Map<string, string>): void {
  origins.set(prefix, file);
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) recordOrigins(v, prefix ? `${prefix}.${k}` : k, file, origins);
  }
}
