import type { OpenApiFragment } from '@atrium/backend-plugin-api';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const ok = (description: string, schema: unknown = { type: 'object' }) => ({ description, content: json(schema) });
const taskId = { name: 'taskId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

/** Backstage's scaffolder endpoints plus Atrium's approvals and entity actions. */
export const scaffolderOpenApi: OpenApiFragment = {
  tags: [{ name: 'scaffolder', description: 'Software templates: tasks, dry runs, actions' }],
  paths: {
    '/v2/actions': { get: { tags: ['scaffolder'], summary: 'Installed actions with their input/output JSON Schemas', responses: { '200': ok('Actions', { type: 'array' }) } } },
    '/v2/templates/{namespace}/{kind}/{name}/parameter-schema': {
      get: {
        tags: ['scaffolder'],
        summary: "A template's form pages",
        parameters: ['namespace', 'kind', 'name'].map((n) => ({ name: n, in: 'path', required: true, schema: { type: 'string' } })),
        responses: { '200': ok('Parameter schema'), '404': ok('Template not found') },
      },
    },
    '/v2/tasks': {
      get: { tags: ['scaffolder'], summary: 'List tasks (createdBy, owned, status, order, limit, offset)', responses: { '200': ok('{tasks, totalTasks}') } },
      post: {
        tags: ['scaffolder'],
        summary: 'Run a template: {templateRef, values, secrets?}',
        requestBody: { content: json({ type: 'object', required: ['templateRef'] }) },
        responses: { '201': ok('{id}'), '400': ok('Invalid values or steps, with field errors') },
      },
    },
    '/v2/tasks/{taskId}': { get: { tags: ['scaffolder'], parameters: [taskId], summary: 'One task', responses: { '200': ok('Task'), '404': ok('Not found') } } },
    '/v2/tasks/{taskId}/eventstream': {
      get: { tags: ['scaffolder'], parameters: [taskId], summary: 'Server-sent events: log, completion, cancelled', responses: { '200': { description: 'text/event-stream' } } },
    },
    '/v2/tasks/{taskId}/events': { get: { tags: ['scaffolder'], parameters: [taskId], summary: 'Long-poll events after ?after=', responses: { '200': ok('Events', { type: 'array' }) } } },
    '/v2/tasks/{taskId}/cancel': { post: { tags: ['scaffolder'], parameters: [taskId], summary: 'Cancel a task', responses: { '200': ok('{status}') } } },
    '/v2/tasks/{taskId}/retry': { post: { tags: ['scaffolder'], parameters: [taskId], summary: 'Start over with the same values', responses: { '201': ok('{id}') } } },
    '/v2/tasks/{taskId}/approval': {
      post: { tags: ['scaffolder'], parameters: [taskId], summary: 'Approve or reject a task awaiting approval', responses: { '200': ok('Task'), '403': ok('Not an approver') } },
    },
    '/v2/dry-run': { post: { tags: ['scaffolder'], summary: 'Run a template with side effects skipped', responses: { '200': ok('{log, directoryContents, output, steps}') } } },
    '/v2/entity-actions': { get: { tags: ['scaffolder'], summary: 'Templates that apply to an entity (?entityRef=)', responses: { '200': ok('{items}') } } },
    '/v2/templating-extensions': { get: { tags: ['scaffolder'], summary: 'Template filters and globals', responses: { '200': ok('Extensions') } } },
  },
};
