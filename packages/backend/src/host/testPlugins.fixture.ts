// Small plugins used by the host's own tests (not installed in the product).
import { createServiceRef, definePlugin, InputError, validateInput } from '@atrium/backend-plugin-api';

export interface GreetingService {
  greet(name: string): string;
}
export const greetingServiceRef = createServiceRef<GreetingService>('test.greeting');

export const greetingPlugin = definePlugin({
  id: 'greeting',
  provides: greetingServiceRef,
  configSchema: {
    type: 'object',
    properties: { salutation: { type: 'string', default: 'Hello' } },
    additionalProperties: false,
  },
  migrations: [
    {
      name: '0001_greetings',
      async up(knex) {
        await knex.schema.createTable('greetings', (t) => {
          t.increments('id');
          t.text('name').notNullable();
        });
      },
    },
  ],
  openapi: { paths: { '/greetings': { post: { summary: 'Record a greeting', responses: { '201': { description: 'ok' } } } } } },
  setup({ router, db, config }) {
    const { salutation } = config as { salutation: string };
    router.post('/greetings', async (req, res) => {
      const body = validateInput<{ name: string }>(
        { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
        req.body,
        'body',
      );
      await db('greetings').insert({ name: body.name });
      res.status(201).json({ message: `${salutation}, ${body.name}` });
    });
    router.get('/greetings', async (_req, res) => {
      res.json({ items: await db('greetings').select('name').orderBy('id') });
    });
    router.get('/boom', () => {
      throw new Error('kaboom');
    });
    router.get('/bad', () => {
      throw new InputError('bad thing');
    });
    return { greet: (name: string) => `${salutation}, ${name}` };
  },
});

/** Depends on greeting, so it must start after it. */
export const welcomePlugin = definePlugin({
  id: 'welcome',
  deps: { greeting: greetingServiceRef },
  migrations: [
    {
      name: '0001_greetings',
      async up(knex) {
        // Same table name as the greeting plugin: each plugin has its own schema.
        await knex.schema.createTable('greetings', (t) => t.text('text'));
      },
    },
  ],
  setup({ router, deps, db }) {
    router.get('/', async (_req, res) => {
      await db('greetings').insert({ text: deps.greeting.greet('team') });
      res.json({ rows: await db('greetings').select('text') });
    });
  },
});

export const brokenPlugin = definePlugin({
  id: 'broken',
  setup() {
    throw new Error('cannot reach the flux capacitor');
  },
});

export const dependsOnBrokenRef = createServiceRef<{ ok: true }>('test.broken');
export const brokenProviderPlugin = definePlugin({
  id: 'broken-provider',
  provides: dependsOnBrokenRef,
  setup(): { ok: true } {
    throw new Error('provider exploded');
  },
});
export const dependentPlugin = definePlugin({
  id: 'dependent',
  deps: { broken: dependsOnBrokenRef },
  setup() {},
});

export const optionalUserPlugin = definePlugin({
  id: 'optional-user',
  optionalDeps: { greeting: greetingServiceRef, broken: dependsOnBrokenRef },
  setup({ router, optionalDeps }) {
    router.get('/', (_req, res) => {
      res.json({ greeting: optionalDeps.greeting?.greet('optional') ?? null, broken: optionalDeps.broken ?? null });
    });
  },
});
