import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * Encrypts task secrets at rest (AES-256-GCM). The key comes from `scaffolder.secretsKey`
 * when configured; otherwise one is generated once and kept in the plugin's settings table,
 * so replicas share it. Secrets are deleted when the task ends either way.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static async create(db: Knex, configured?: string): Promise<SecretBox> {
    if (configured) return new SecretBox(createHash('sha256').update(configured).digest());
    const fresh = randomBytes(32).toString('base64');
    await db('settings').insert({ key: 'secrets_key', value: fresh }).onConflict('key').ignore();
    const row = (await db('settings').where({ key: 'secrets_key' }).first()) as { value: string };
    return new SecretBox(Buffer.from(row.value, 'base64'));
  }

  seal(secrets: Record<string, string>): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64')).join('.');
  }

  open(sealed: string | null | undefined): Record<string, string> {
    if (!sealed) return {};
    const [iv, tag, data] = sealed.split('.').map((s) => Buffer.from(s, 'base64'));
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv!);
    decipher.setAuthTag(tag!);
    return JSON.parse(Buffer.concat([decipher.update(data!), decipher.final()]).toString('utf8')) as Record<string, string>;
  }
}

/** Replaces every secret value in a text with `***`. */
export function maskSecrets(text: string, secrets: Record<string, string>): string {
  let out = text;
  for (const value of Object.values(secrets)) {
    if (typeof value === 'string' && value.length >= 3) out = out.split(value).join('***');
  }
  return out;
}
