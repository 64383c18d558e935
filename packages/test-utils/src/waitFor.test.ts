import { describe, expect, it } from 'vitest';
import { waitFor } from './waitFor.js';

describe('waitFor', () => {
  it('polls a condition until it holds and resolves with its value', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `after ${calls}` : false), { intervalMs: 1 });
    expect(value).toBe('after 3');
    expect(calls).toBe(3);
  });

  it('retries an assertion until it stops throwing, awaiting async checks', async () => {
    let n = 0;
    await waitFor(
      async () => {
        n++;
        expect(n).toBeGreaterThanOrEqual(4);
      },
      { intervalMs: 1 },
    );
    expect(n).toBe(4);
  });

  it('treats undefined, null and 0 as success, only false as "not yet"', async () => {
    expect(await waitFor(() => 0)).toBe(0);
    expect(await waitFor(() => null)).toBeNull();
    expect(await waitFor(() => undefined)).toBeUndefined();
  });

  it('rejects after the timeout with the last assertion message as the cause', async () => {
    const error = await waitFor(() => expect('running').toBe('done'), { timeoutMs: 30, intervalMs: 5, message: 'the task to finish' }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^waitFor: the task to finish: not met within 30 ms \(\d+ attempts\); last: .*expected 'running' to be 'done'/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('rejects after the timeout when a condition stays false', async () => {
    await expect(waitFor(() => false, { timeoutMs: 20, intervalMs: 5 })).rejects.toThrow(/not met within 20 ms .*the condition was still false/);
  });
});
