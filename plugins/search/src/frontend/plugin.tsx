import { definePlugin } from '@atrium/frontend-plugin-api';

/**
 * Search: the full results page at /search (?q=&type=&kind=&owner=&lifecycle=&tag=&cursor=).
 * The Cmd-K / Ctrl-K palette is `SearchLauncher`, which the app puts in its header.
 */
export const searchPlugin = definePlugin({
  id: 'search',
  title: 'Search',
  routes: [{ path: '/search', loader: () => import('./SearchPage') }],
});
