import { useMediaQuery } from '@mantine/hooks';

/** Wider than this, lists are tables; narrower (phones), cards. */
export const WIDE_QUERY = '(min-width: 48em)';

/** Whether the screen is wide enough for tables; decided on first render, so nothing flashes. */
export function useWide(): boolean {
  return useMediaQuery(WIDE_QUERY, typeof window !== 'undefined' ? window.matchMedia(WIDE_QUERY).matches : true, { getInitialValueInEffect: false });
}
