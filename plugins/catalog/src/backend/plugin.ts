import { definePlugin } from '@atrium/backend-plugin-api';

// Placeholder until the catalog backend lands (issue 3).
export const catalogPlugin = definePlugin({
  id: 'catalog',
  setup() {},
});
