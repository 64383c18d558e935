import { AsyncLocalStorage } from 'node:async_hooks';

/** Beyond this many refs a scope stops listing them and stitches the whole queue instead (a bulk load). */
const MAX_TRACKED = 10_000;

/**
 * The entities one piece of work (a location read, a provider mutation, an API call) queued
 * for stitching. The work then stitches those before it answers, not the whole shared
 * queue: draining everything would stitch the entities of a bulk read still in progress
 * elsewhere in this process, whose relation targets have not arrived yet, and they would be
 * stitched (and announced to every plugin) a second time when they do.
 */
export class StitchScope {
  private readonly refs = new Set<string>();
  private overflowed = false;

  constructor(private readonly parent?: StitchScope) {}

  add(refs: Iterable<string>): void {
    this.parent?.add(refs);
    if (this.overflowed) return;
    for (const ref of refs) this.refs.add(ref);
    if (this.refs.size > MAX_TRACKED) {
      this.overflowed = true;
      this.refs.clear();
    }
  }

  /** False once this scope (and every scope around it) stopped listing refs: nothing needs them. */
  get collecting(): boolean {
    return !this.overflowed || (this.parent?.collecting ?? false);
  }

  /** The refs to stitch; undefined when there were too many to list (stitch everything queued). */
  targets(): string[] | undefined {
    return this.overflowed ? undefined : [...this.refs];
  }
}

const storage = new AsyncLocalStorage<StitchScope>();

/** Runs `fn` with a scope that collects every ref it (or anything it awaits) queues for stitching. */
export function withStitchScope<T>(fn: (scope: StitchScope) => Promise<T>): Promise<T> {
  const scope = new StitchScope(storage.getStore());
  return storage.run(scope, () => fn(scope));
}

/** The scope collecting queued refs here, if any. */
export function currentStitchScope(): StitchScope | undefined {
  return storage.getStore();
}
