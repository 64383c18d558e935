// @vitest-environment jsdom
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useTypingValue } from './useTypingValue';

const seen: string[] = [];
function Probe(props: { value: string }) {
  const taken = useTypingValue(props.value, 40);
  seen.push(taken);
  return <span>{taken}</span>;
}

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  seen.length = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

/** A Probe rendered with '' in a fresh root: `show` renders it with another value. */
async function mountProbe() {
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  const show = (value: string) => act(async () => root.render(<Probe value={value} />));
  const unmount = async () => {
    await act(async () => root.unmount());
    host.remove();
  };
  await show('');
  return { host, show, unmount };
}

describe('useTypingValue', () => {
  it('takes each key of ordinary typing at once, and a burst at most once per quiet time', async () => {
    const { host, show, unmount } = await mountProbe();
    // Typing: 60 ms between keys, more than the 40 ms quiet time: no wait at all.
    for (const v of ['p', 'pa', 'pay']) {
      await act(async () => vi.advanceTimersByTime(60));
      await show(v);
      expect(host.textContent).toBe(v);
    }
    // A burst 5 ms apart: the first key at once, the rest held until 40 ms after the first was taken.
    await act(async () => vi.advanceTimersByTime(60));
    await show('paym');
    expect(host.textContent).toBe('paym');
    for (const v of ['payme', 'paymen', 'payment']) {
      await act(async () => vi.advanceTimersByTime(5));
      await show(v);
      expect(host.textContent).toBe('paym');
    }
    await act(async () => vi.advanceTimersByTime(24));
    expect(host.textContent).toBe('paym');
    await act(async () => vi.advanceTimersByTime(1));
    expect(host.textContent).toBe('payment');
    expect(new Set(seen)).toEqual(new Set(['', 'p', 'pa', 'pay', 'paym', 'payment']));
    await unmount();
  });

  it('makes a key that came a little early wait only for the rest of the quiet time, and catches up with the typist', async () => {
    const { host, show, unmount } = await mountProbe();
    await act(async () => vi.advanceTimersByTime(60));
    await show('c');
    // The next key's handler ran 35 ms after the last value was taken (the page was busy): 5 ms to wait.
    await act(async () => vi.advanceTimersByTime(35));
    await show('co');
    expect(host.textContent).toBe('c');
    await act(async () => vi.advanceTimersByTime(5));
    expect(host.textContent).toBe('co');
    // The key after it, on the typist's 60 ms beat (20 ms after 'co' was taken), waits 20 ms; the
    // one after that is taken at once again (the old debounce delayed every later key by 40 ms).
    await act(async () => vi.advanceTimersByTime(20));
    await show('con');
    expect(host.textContent).toBe('co');
    await act(async () => vi.advanceTimersByTime(20));
    expect(host.textContent).toBe('con');
    await act(async () => vi.advanceTimersByTime(40));
    await show('conf');
    expect(host.textContent).toBe('conf');
    await unmount();
  });

  it('takes a held key about once per quiet time, ending with its last value', async () => {
    const { host, show, unmount } = await mountProbe();
    seen.length = 0;
    let v = '';
    for (let i = 0; i < 20; i++) {
      await act(async () => vi.advanceTimersByTime(10));
      v += 'x';
      await show(v);
    }
    await act(async () => vi.advanceTimersByTime(40));
    expect(host.textContent).toBe(v);
    // 200 ms of keys every 10 ms: a value taken at most every 40 ms (6), not one per key (20).
    expect(new Set(seen).size).toBeLessThanOrEqual(7);
    expect(new Set(seen).size).toBeGreaterThanOrEqual(2);
    await unmount();
  });
});
