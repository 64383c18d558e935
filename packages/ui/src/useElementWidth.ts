import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/**
 * The width of an element, measured before the first paint and again whenever it changes
 * (a ResizeObserver), so a layout that depends on it does not flash the wrong form first.
 * `undefined` until measured.
 */
export function useElementWidth<T extends HTMLElement>(): [RefObject<T | null>, number | undefined] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState<number>();
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.round(element.getBoundingClientRect().width));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
