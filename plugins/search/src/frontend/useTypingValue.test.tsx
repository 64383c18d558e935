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

describe('useTypingValue', () => {
  it('takes each key of ordinary typing at once, and gathers a burst into its last value', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const root = createRoot(host);
    const show = (value: string) => act(async () => root.render(<Probe value={value} />));
    await show('');
    // Typing: 60 ms between keys, more than the 40 ms quiet time: no wait at all.
    for (const v of ['p', 'pa', 'pay']) {
      await act(async () => vi.advanceTimersByTime(60));
      await show(v);
      expect(host.textContent).toBe(v);
    }
    // A burst 5 ms apart: the first key at once, the rest held until 40 ms after the last.
    await act(async () => vi.advanceTimersByTime(60));
    await show('paym');
    expect(host.textContent).toBe('paym');
    for (const v of ['payme', 'paymen', 'payment']) {
      await act(async () => vi.advanceTimersByTime(5));
      await show(v);
      expect(host.textContent).toBe('paym');
    }
    await act(async () => vi.advanceTimersByTime(39));
    expect(host.textContent).toBe('paym');
    await act(async () => vi.advanceTimersByTime(1));
    expect(host.textContent).toBe('payment');
    expect(new Set(seen)).toEqual(new Set(['', 'p', 'pa', 'pay', 'paym', 'payment']));
    await act(async () => root.unmount());
    host.remove();
  });
});
