import type { OpenApiFragment } from '@atrium/backend-plugin-api';

/**
 * The tag of /api/scorecards; paths, parameters and bodies come from the declared routes
 * (routes/). See docs/scorecards.md for the shapes.
 */
export const scorecardsOpenApi: OpenApiFragment = {
  tags: [{ name: 'scorecards', description: 'Scorecards, results, rollups, initiatives and exemptions' }],
};
