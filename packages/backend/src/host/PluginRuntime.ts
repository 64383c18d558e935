import type { BackendPlugin, HealthReport, PluginStatusInfo } from '@atrium/backend-plugin-api';
import express from 'express';
import type { Knex } from 'knex';
import { migrationStatus } from '../database/runMigrations.js';

/** What the host knows about one installed plugin while it runs. */
export class PluginRuntime {
  status: PluginStatusInfo['status'] = 'starting';
  error: string | undefined;
  startupMs: number | undefined;
  /** How long its schema and migrations took (part of startupMs). */
  migrationMs: number | undefined;
  db: Knex | undefined;
  provided: unknown;
  /** Mounted at /api/<id> before the plugin starts, so route order never depends on start order. */
  readonly router = express.Router();

  constructor(
    readonly plugin: BackendPlugin,
    readonly dependsOn: string[],
    readonly schema: string,
    readonly optionalDependsOn: string[] = [],
  ) {}

  async health(): Promise<HealthReport> {
    if (this.status === 'failed') return { status: 'down', message: this.error ?? 'failed to start' };
    if (this.status !== 'running') return { status: 'down', message: this.status };
    if (!this.plugin.health) return { status: 'ok' };
    try {
      return await this.plugin.health();
    } catch (e) {
      return { status: 'down', message: e instanceof Error ? e.message : String(e) };
    }
  }

  async describe(): Promise<PluginStatusInfo> {
    const migrations = this.db ? await migrationStatus(this.db, this.schema, this.plugin.migrations ?? []).catch(() => []) : [];
    return {
      id: this.plugin.id,
      status: this.status,
      ...(this.error ? { error: this.error } : {}),
      ...(this.startupMs !== undefined ? { startupMs: this.startupMs } : {}),
      dependsOn: this.dependsOn,
      health: await this.health(),
      migrations,
    };
  }
}

/** Plugin ids may hold dashes; Postgres schema names are kept to identifier-friendly characters. */
export function schemaFor(pluginId: string): string {
  return pluginId.replace(/-/g, '_');
}
