import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { ConnectionTestResult, IntegrationDiscovery, IntegrationSummary } from '../common/index.js';
import type { SecretBox } from './secretBox.js';

/** Credentials of an admin-added integration, as decrypted in memory (never returned by the API). */
export interface IntegrationCredentials {
  token?: string;
  appId?: number;
  privateKey?: string;
  installationId?: number;
  webhookSecret?: string;
}

export interface StoredIntegration {
  id: string;
  kind: string;
  name: string;
  host: string;
  apiBaseUrl: string;
  authType: 'token' | 'app';
  discovery: IntegrationDiscovery | null;
  lastTest: ConnectionTestResult | null;
  createdBy: string;
  createdAt: string;
  /** Decrypts the credentials on use. */
  credentials(): IntegrationCredentials;
}

interface Row {
  id: string;
  kind: string;
  name: string;
  host: string;
  api_base_url: string;
  auth_type: 'token' | 'app';
  credentials: string;
  discovery: IntegrationDiscovery | null;
  last_test: ConnectionTestResult | null;
  created_by: string;
  created_at: Date | string;
}

const SECRET_KEYS = ['token', 'privateKey', 'webhookSecret'] as const;

/** Admin-added integrations; credentials encrypted with the SecretBox, bound to the row id. */
export class IntegrationStore {
  constructor(
    private readonly db: Knex,
    private readonly box: SecretBox,
  ) {}

  private toStored(r: Row): StoredIntegration {
    const box = this.box;
    return {
      id: r.id,
      kind: r.kind,
      name: r.name,
      host: r.host,
      apiBaseUrl: r.api_base_url,
      authType: r.auth_type,
      discovery: r.discovery ?? null,
      lastTest: r.last_test ?? null,
      createdBy: r.created_by,
      createdAt: new Date(r.created_at).toISOString(),
      credentials: () => JSON.parse(box.decrypt(r.credentials, r.id)) as IntegrationCredentials,
    };
  }

  async list(kind?: string): Promise<StoredIntegration[]> {
    const rows = await this.db<Row>('integrations')
      .modify((q) => (kind ? q.where({ kind }) : q))
      .orderBy('created_at');
    return (rows as Row[]).map((r) => this.toStored(r));
  }

  async get(id: string): Promise<StoredIntegration | undefined> {
    const row = await this.db<Row>('integrations').where({ id }).first();
    return row ? this.toStored(row) : undefined;
  }

  async create(
    input: Omit<StoredIntegration, 'id' | 'createdAt' | 'lastTest' | 'credentials'> & { credentials: IntegrationCredentials },
    trx: Knex.Transaction,
  ): Promise<StoredIntegration> {
    const id = crypto.randomUUID();
    const now = new Date();
    const [row] = await trx<Row>('integrations')
      .insert({
        id,
        kind: input.kind,
        name: input.name,
        host: input.host,
        api_base_url: input.apiBaseUrl,
        auth_type: input.authType,
        credentials: this.box.encrypt(JSON.stringify(input.credentials), id),
        discovery: (input.discovery ? JSON.stringify(input.discovery) : null) as never,
        created_by: input.createdBy,
        created_at: now,
        updated_at: now,
      } as never)
      .returning('*');
    return this.toStored(row as Row);
  }

  async remove(id: string, trx: Knex.Transaction): Promise<boolean> {
    const removed = await trx('integrations').where({ id }).delete().returning('id');
    return removed.length > 0;
  }

  async recordTest(id: string, result: ConnectionTestResult): Promise<void> {
    await this.db('integrations')
      .where({ id })
      .update({ last_test: JSON.stringify(result), updated_at: new Date() });
  }
}

/** The summary the API returns: names of the secrets that are set, never their values. */
export function summarize(i: StoredIntegration): IntegrationSummary {
  let secretsSet: string[] = [];
  try {
    const creds = i.credentials();
    secretsSet = SECRET_KEYS.filter((k) => typeof creds[k] === 'string' && creds[k]!.length > 0);
  } catch {
    secretsSet = [];
  }
  return {
    id: i.id,
    kind: i.kind,
    name: i.name,
    host: i.host,
    apiBaseUrl: i.apiBaseUrl,
    authType: i.authType,
    source: 'api',
    discovery: i.discovery,
    secretsSet,
    lastTest: i.lastTest,
    createdBy: i.createdBy,
    createdAt: i.createdAt,
  };
}
