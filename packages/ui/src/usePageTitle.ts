import { useEffect } from 'react';

export const APP_NAME = 'Atrium';

/** Sets the browser tab title to "<title> · Atrium" (or just "Atrium" without a title). */
export function usePageTitle(title?: string): void {
  useEffect(() => {
    document.title = title ? `${title} · ${APP_NAME}` : APP_NAME;
  }, [title]);
}
