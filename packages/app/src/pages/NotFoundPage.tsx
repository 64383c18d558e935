import { NotFoundPage as SharedNotFoundPage } from '@atrium/ui';

/** Any path no route matches: the shared not-found page (plugins use it for their own sub-paths too). */
export function NotFoundPage() {
  return <SharedNotFoundPage />;
}
