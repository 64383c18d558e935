import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '@atrium/backend-plugin-api';

const VERSION = 'v1';

/**
 * AES-256-GCM for credentials at rest. Each value has its own random 96-bit IV, and is bound to
 * what it belongs to (`aad`, the integration id): a ciphertext copied to another row does not
 * decrypt.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** A key from text (config or env): at least 32 characters, hashed to 256 bits. */
  static fromText(text: string): SecretBox {
    if (text.length < 32) throw new Error('The integrations encryption key must be at least 32 characters');
    return new SecretBox(crypto.createHash('sha256').update(text, 'utf8').digest());
  }

  encrypt(plain: string, aad: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
  }

  decrypt(sealed: string, aad: string): string {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Not an encrypted integrations secret');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('The stored credentials cannot be decrypted with the current integrations encryption key (was the key changed?)');
    }
  }
}

/**
 * The key, in this order: `integrations.encryptionKey`, env `ATRIUM_INTEGRATIONS_KEY`, else a key
 * file `<dataDir>/integrations/secret.key` (created once with mode 0600, which is logged).
 */
export function loadSecretBox(options: { configKey?: string; env?: NodeJS.ProcessEnv; dataDir: string; logger: Logger }): SecretBox {
  if (options.configKey) return SecretBox.fromText(options.configKey);
  const fromEnv = (options.env ?? process.env).ATRIUM_INTEGRATIONS_KEY;
  if (fromEnv) return SecretBox.fromText(fromEnv);
  const dir = path.join(options.dataDir, 'integrations');
  const file = path.join(dir, 'secret.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
      options.logger.warn(
        { file },
        `integrations: no encryption key configured (integrations.encryptionKey or ATRIUM_INTEGRATIONS_KEY); generated ${file} (mode 0600). Back it up, or set a key, before adding integrations in production.`,
      );
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another replica won the race
    }
  }
  return SecretBox.fromText(fs.readFileSync(file, 'utf8').trim());
}
