import v8 from 'node:v8';

/**
 * The portal's default for V8's heap growing factor (`--heap-growing-percent`) on the embedded
 * database: a full garbage collection once the heap has grown 40 % past what the last one kept.
 * V8 otherwise lets the heap of a process that allocates fast, as a bulk ingest does, grow to up
 * to 4× that: it swings between ~90 and ~300 MB, all of it resident. The flag is read at each
 * collection, so setting it once the process runs works.
 *
 * It is not set with a Postgres server: there both cores are busy during an ingest, and the
 * extra collections cost time (bench/RESULTS.md, session 14). With the embedded database the
 * collections' concurrent marking mostly uses the core the database leaves idle.
 */
export const DEFAULT_HEAP_GROWING_PERCENT = 40;

const FLAG = 'heap-growing-percent';

/**
 * Sets the heap growing factor for this process and its worker threads, unless the process was
 * started with its own choice (`node --heap-growing-percent=N ...`; 0 is V8's own dynamic choice).
 * Returns the flag it set, or undefined when it left the user's choice alone.
 */
export function limitHeapGrowth(
  execArgv: readonly string[] = process.execArgv,
  setFlags: (flags: string) => void = (flags) => v8.setFlagsFromString(flags),
): string | undefined {
  const chosen = execArgv.some((arg) => arg.replace(/_/g, '-').startsWith(`--${FLAG}`));
  if (chosen) return undefined;
  const flag = `--${FLAG}=${DEFAULT_HEAP_GROWING_PERCENT}`;
  setFlags(flag);
  return flag;
}
