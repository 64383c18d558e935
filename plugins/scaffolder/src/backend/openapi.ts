import type { OpenApiFragment } from '@atrium/backend-plugin-api';

/** The tag; the operations (Backstage's scaffolder v2 endpoints plus approvals and entity actions) come from the declared routes (routes/). */
export const scaffolderOpenApi: OpenApiFragment = {
  tags: [{ name: 'scaffolder', description: 'Software templates: tasks, dry runs, actions' }],
};
