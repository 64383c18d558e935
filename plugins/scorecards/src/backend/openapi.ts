import type { OpenApiFragment } from '@atrium/backend-plugin-api';

const ok = (description: string, schema: Record<string, unknown> = { type: 'object' }) => ({
  200: { description, content: { 'application/json': { schema } } },
});
const refParams = ['kind', 'namespace', 'name'].map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];

/** Routes of /api/scorecards; see docs/scorecards.md for the shapes. */
export const scorecardsOpenApi: OpenApiFragment = {
  tags: [{ name: 'scorecards', description: 'Scorecards, results, rollups, initiatives and exemptions' }],
  paths: {
    '/scorecards': { get: { tags: ['scorecards'], summary: 'Scorecards with level distribution, rule pass rates and definition errors', responses: ok('Scorecards') } },
    '/scorecards/{id}': { get: { tags: ['scorecards'], summary: 'One scorecard definition', parameters: idParam, responses: ok('Scorecard') } },
    '/scorecards/{id}/rules/{ruleId}': {
      get: {
        tags: ['scorecards'],
        summary: "One rule: its definition, status tally and the entities with a status (default: failing or error)",
        parameters: [...idParam, { name: 'ruleId', in: 'path', required: true, schema: { type: 'string' } }, { name: 'status', in: 'query', schema: { type: 'string' } }],
        responses: ok('Rule results'),
      },
    },
    '/rule-errors': {
      get: {
        tags: ['scorecards'],
        summary: "Why rules could not be evaluated, in the engine's words (for the scorecard's authors)",
        parameters: [{ name: 'scorecard', in: 'query', required: true, schema: { type: 'string' } }, { name: 'rule', in: 'query', schema: { type: 'string' } }],
        responses: ok('Rule errors'),
      },
    },
    '/scorecards/{id}/rollups': {
      get: { tags: ['scorecards'], summary: 'Rollups per owner or per group hierarchy', parameters: [...idParam, { name: 'by', in: 'query', schema: { enum: ['owner', 'group'] } }], responses: ok('Rollups') },
    },
    '/scorecards/{id}/trend': {
      get: { tags: ['scorecards'], summary: 'Daily level distribution for trend charts', parameters: [...idParam, { name: 'days', in: 'query', schema: { type: 'integer' } }, { name: 'owner', in: 'query', schema: { type: 'string' } }], responses: ok('Trend') },
    },
    '/entities/{kind}/{namespace}/{name}': { get: { tags: ['scorecards'], summary: 'Results and facts of one entity', parameters: refParams, responses: ok('Results') } },
    '/owners/{ownerRef}/fix-next': {
      get: { tags: ['scorecards'], summary: "A team's failing rules, ordered by what to fix next", parameters: [{ name: 'ownerRef', in: 'path', required: true, schema: { type: 'string' } }], responses: ok('Fix list') },
    },
    '/history': {
      get: { tags: ['scorecards'], summary: 'Result changes of an entity or scorecard', parameters: ['entityRef', 'scorecard', 'days'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })), responses: ok('History') },
    },
    '/export.csv': { get: { tags: ['scorecards'], summary: 'Results as CSV', responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } } } } },
    '/initiatives': { get: { tags: ['scorecards'], summary: 'Initiatives with progress', responses: ok('Initiatives') } },
    '/initiatives/{id}': { get: { tags: ['scorecards'], summary: 'Initiative progress: burn-up, teams, failing entities', parameters: idParam, responses: ok('Initiative') } },
    '/exemptions': {
      get: {
        tags: ['scorecards'],
        summary: 'Exemptions that have not expired: granted (default) or requested',
        parameters: ['entityRef', 'scorecard', 'status'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
        responses: ok('Exemptions'),
      },
      post: { tags: ['scorecards'], summary: 'Exempt an entity from a rule until a date (granted at once)', responses: { 201: { description: 'Created' } } },
    },
    '/exemptions/requests': { post: { tags: ['scorecards'], summary: 'Ask for an exemption; it counts once granted', responses: { 201: { description: 'Requested' } } } },
    '/exemptions/{id}/grant': { post: { tags: ['scorecards'], summary: 'Grant a requested exemption', parameters: idParam, responses: ok('Granted') } },
    '/exemptions/{id}': { delete: { tags: ['scorecards'], summary: 'Revoke an exemption or turn down a request', parameters: idParam, responses: { 204: { description: 'Removed' } } } },
    '/evaluate': { post: { tags: ['scorecards'], summary: 'Run a full evaluation now', responses: ok('Sweep stats') } },
    '/status': { get: { tags: ['scorecards'], summary: 'Last sweep, definition errors, fact providers', responses: ok('Status') } },
  },
};
