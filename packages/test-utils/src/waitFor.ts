export interface WaitForOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Time between attempts (default 50 ms). */
  intervalMs?: number;
  /** Says what was awaited, in the error when it times out. */
  message?: string;
}

/**
 * Calls `check` until it succeeds and resolves with what it returned. It fails an attempt by
 * returning `false` or throwing (an `expect` that does not hold yet); anything else, including
 * `undefined`, is success. So both a condition (`() => runs.length >= 5`) and assertions
 * (`() => expect(status).toBe('done')`) work. After `timeoutMs` it rejects with the last
 * failure: the assertion's message, or that the condition stayed false.
 */
export async function waitFor<T>(check: () => T | Promise<T>, options: WaitForOptions = {}): Promise<Exclude<T, false>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let attempts = 0;
  for (;;) {
    attempts++;
    let failure: { error: unknown } | undefined;
    try {
      const result = await check();
      if (result !== false) return result as Exclude<T, false>;
      failure = undefined;
    } catch (e) {
      failure = { error: e };
    }
    if (Date.now() >= deadline) {
      const what = options.message ? `${options.message}: ` : '';
      const last = failure ? (failure.error instanceof Error ? failure.error.message : String(failure.error)) : 'the condition was still false';
      throw new Error(`waitFor: ${what}not met within ${timeoutMs} ms (${attempts} attempts); last: ${last}`, failure ? { cause: failure.error } : undefined);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
