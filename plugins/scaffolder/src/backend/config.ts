import path from 'node:path';
import type { JsonSchema } from '@atrium/backend-plugin-api';
import type { ScaffolderPaths } from './paths.js';

/** JSON Schema of the `scaffolder:` config section (Backstage's names where it has them). */
export const scaffolderConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    concurrentTasksLimit: { type: 'integer', minimum: 0, default: 10, description: 'Tasks one replica runs at once; 0 disables its worker.' },
    taskTimeoutSeconds: {
      type: 'integer',
      minimum: 2,
      default: 30,
      description: "A running task's lease: a task whose replica stops heartbeating for this long is resumed by any replica.",
    },
    waitPollSeconds: {
      type: 'integer',
      minimum: 1,
      default: 5,
      description: 'How often waiting tasks that are due (times, pull requests, reminders, expiries) are looked at.',
    },
    callbackSecret: { type: 'string', minLength: 16, description: 'HMAC key for wait:callback URLs; generated and stored when absent.' },
    stepTimeoutSeconds: { type: 'integer', minimum: 1, default: 600 },
    ioConcurrency: {
      type: 'integer',
      minimum: 1,
      default: 4,
      description: 'File- and process-heavy steps (fetch:*, publish:git, fs:*) running at once on a replica, so many tasks do not starve the API.',
    },
    pollMs: { type: 'integer', minimum: 10, default: 500 },
    secretsKey: { type: 'string', minLength: 16, description: 'Key for encrypting task secrets at rest; generated and stored when absent.' },
    defaultAuthor: {
      type: 'object',
      default: {},
      properties: { name: { type: 'string', default: 'Atrium Scaffolder' }, email: { type: 'string', default: 'scaffolder@atrium.local' } },
    },
    defaultCommitMessage: { type: 'string', default: 'Initial commit' },
    logs: {
      type: 'object',
      default: {},
      properties: { maxEventsPerTask: { type: 'integer', minimum: 10, default: 2000 }, maxMessageLength: { type: 'integer', minimum: 100, default: 8000 } },
    },
    readers: {
      type: 'object',
      default: {},
      properties: {
        fileRoots: { type: 'array', items: { type: 'string' }, default: [] },
        allowPrivateNetworks: { type: 'boolean', default: false },
        maxBytes: { type: 'integer', minimum: 1, default: 10485760 },
      },
    },
    publish: {
      type: 'object',
      default: {},
      properties: {
        fileRoots: {
          type: 'array',
          items: { type: 'string' },
          description:
            'Where local (file://) remotes may live; a bare repository name goes into the first. Default: <dataDir>/repos, which the catalog reads by default.',
        },
        allowPrivateNetworks: { type: 'boolean', default: false, description: 'Let publish:git push to remotes on loopback, private or reserved addresses.' },
      },
    },
    http: { type: 'object', default: {}, properties: { allowPrivateNetworks: { type: 'boolean', default: false } } },
  },
};

export interface ScaffolderConfig {
  concurrentTasksLimit: number;
  taskTimeoutSeconds: number;
  waitPollSeconds: number;
  callbackSecret?: string;
  stepTimeoutSeconds: number;
  ioConcurrency?: number;
  pollMs: number;
  secretsKey?: string;
  defaultAuthor: { name: string; email: string };
  defaultCommitMessage: string;
  logs: { maxEventsPerTask: number; maxMessageLength: number };
  readers: { fileRoots: string[]; allowPrivateNetworks: boolean; maxBytes: number };
  publish: { fileRoots?: string[]; allowPrivateNetworks?: boolean };
  http: { allowPrivateNetworks: boolean };
}

/** Where publish:git may create and push to local repositories: configured roots (relative to the config file) or `<dataDir>/repos`. */
export function publishFileRoots(config: ScaffolderConfig, paths: ScaffolderPaths, configBaseDir: string): string[] {
  return config.publish?.fileRoots?.map((r) => path.resolve(configBaseDir, r)) ?? [paths.repos];
}

/** Extra roots template sources may be read from, relative to the config file. */
export function readerFileRoots(config: ScaffolderConfig, configBaseDir: string): string[] {
  return config.readers.fileRoots.map((r) => path.resolve(configBaseDir, r));
}
