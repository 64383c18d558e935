import { useEffect, useRef, useState } from 'react';

/**
 * The value to search for while someone types: a change that comes `quietMs` or more after the
 * last one searched is taken at once (each key of ordinary typing, which is slower than that);
 * changes closer together than that (a burst, a held key, a paste typed by a tool) are gathered
 * and the last one is taken `quietMs` after it. So a typist waits no debounce at all, and a burst
 * still costs one request.
 */
export function useTypingValue<T>(value: T, quietMs: number): T {
  const [taken, setTaken] = useState(value);
  const lastTakenAt = useRef(Number.NEGATIVE_INFINITY);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    clearTimeout(timer.current);
    const take = () => {
      lastTakenAt.current = performance.now();
      setTaken(value);
    };
    if (performance.now() - lastTakenAt.current >= quietMs) take();
    else timer.current = setTimeout(take, quietMs);
    return () => clearTimeout(timer.current);
  }, [value, quietMs]);
  return taken;
}
