import { useEffect, useRef, useState } from 'react';

/**
 * The value to search for while someone types: at most one value per `quietMs`. A change that
 * comes `quietMs` or more after the last value taken is taken at once (each key of ordinary
 * typing, which is slower than that); a change sooner than that waits only for the rest of the
 * `quietMs` since the last one taken, and then the newest value is taken. So a typist waits no
 * debounce, a burst (a held key, a paste typed by a tool) costs a request per `quietMs`, and a key
 * that came a little early (its handler ran late while the page drew the previous answer) waits
 * a few milliseconds, not a whole `quietMs` that would push every later key back too.
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
    const wait = lastTakenAt.current + quietMs - performance.now();
    if (wait <= 0) take();
    else timer.current = setTimeout(take, wait);
    return () => clearTimeout(timer.current);
  }, [value, quietMs]);
  return taken;
}
