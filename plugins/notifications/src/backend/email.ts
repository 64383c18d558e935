import { ConfigError, InputError, ServiceUnavailableError, type JsonSchema, type Logger } from '@atrium/backend-plugin-api';
import nodemailer, { type Transporter } from 'nodemailer';
import type { SendEmailRequest, SendEmailResult } from '../common/index.js';

/** `notifications.email`: where outgoing mail goes. Absent: email is off. */
export interface EmailConfig {
  from: string;
  smtp: {
    host: string;
    port: number;
    /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
    secure: boolean;
    /** Refuse to send unless the server upgrades to TLS with STARTTLS. */
    requireTLS: boolean;
    auth?: { user: string; pass: string };
    /** Connection, greeting and socket timeouts. */
    timeoutMs: number;
  };
}

/** A mailbox: no spaces, controls, angle brackets or commas; one `@` with text either side. */
const ADDRESS = /^[^\s@<>(),;:"\\[\]\u0000-\u001f\u007f]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/; // eslint-disable-line no-control-regex
/** `from` may also carry a display name: `Atrium <atrium@example.com>`. */
const FROM = /^(?:[^<>\r\n]*<([^<>\s]+)>|([^<>\s]+))$/;

export const emailConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['smtp', 'from'],
  properties: {
    from: { type: 'string', minLength: 3, maxLength: 320, description: 'Sender, e.g. "Atrium <atrium@example.com>"' },
    smtp: {
      type: 'object',
      additionalProperties: false,
      required: ['host'],
      properties: {
        host: { type: 'string', minLength: 1, maxLength: 253 },
        port: { type: 'integer', minimum: 1, maximum: 65535, default: 587 },
        secure: { type: 'boolean', default: false },
        requireTLS: { type: 'boolean', default: false },
        auth: {
          type: 'object',
          additionalProperties: false,
          required: ['user', 'pass'],
          properties: { user: { type: 'string', minLength: 1 }, pass: { type: 'string' } },
        },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 300000, default: 10000 },
      },
    },
  },
};

/** Whether `address` is a plain mailbox we are willing to send to. */
export function isEmailAddress(address: unknown): address is string {
  return typeof address === 'string' && address.length <= 320 && ADDRESS.test(address);
}

/** Checks the parts of the config a JSON Schema cannot: the sender's address. */
export function checkEmailConfig(config: EmailConfig): void {
  const m = FROM.exec(config.from.trim());
  const address = m?.[1] ?? m?.[2];
  if (!isEmailAddress(address))
    throw new ConfigError('notifications.email.from', `notifications.email.from "${config.from}" is not an email address (e.g. "Atrium <atrium@example.com>")`);
}

const MAX_TO = 100;

function checkRequest(req: SendEmailRequest): { to: string[]; subject: string; text: string; html?: string } {
  if (!req || !Array.isArray(req.to) || req.to.length === 0) throw new InputError('notifications: sendEmail needs at least one address in "to"');
  const to = [...new Set(req.to.map((a) => (typeof a === 'string' ? a.trim() : a)))];
  if (to.length > MAX_TO) throw new InputError(`notifications: sendEmail takes at most ${MAX_TO} addresses`);
  const bad = to.find((a) => !isEmailAddress(a));
  if (bad !== undefined) throw new InputError(`notifications: "${String(bad)}" is not an email address`);
  if (typeof req.subject !== 'string' || req.subject.trim() === '') throw new InputError('notifications: sendEmail needs a subject');
  // A header: no line breaks (nodemailer encodes, but a producer sending one has a bug).
  if (/[\r\n]/.test(req.subject)) throw new InputError('notifications: the email subject must be one line');
  if (req.subject.length > 500) throw new InputError('notifications: the email subject is longer than 500 characters');
  if (typeof req.text !== 'string' || req.text === '') throw new InputError('notifications: sendEmail needs a text body');
  if (req.html !== undefined && typeof req.html !== 'string') throw new InputError('notifications: html must be a string');
  const size = req.text.length + (req.html?.length ?? 0);
  if (size > 1_000_000) throw new InputError('notifications: the email body is larger than 1,000,000 characters');
  return { to: to as string[], subject: req.subject, text: req.text, ...(req.html ? { html: req.html } : {}) };
}

/** Sends mail through the configured SMTP server; `send` rejects with a 503 when email is off. */
export class EmailSender {
  private readonly transport: Transporter | undefined;

  constructor(
    private readonly config: EmailConfig | undefined,
    private readonly logger: Logger,
  ) {
    if (!config) return;
    checkEmailConfig(config);
    const { smtp } = config;
    this.transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      requireTLS: smtp.requireTLS,
      ...(smtp.auth ? { auth: { user: smtp.auth.user, pass: smtp.auth.pass } } : {}),
      connectionTimeout: smtp.timeoutMs,
      greetingTimeout: smtp.timeoutMs,
      socketTimeout: smtp.timeoutMs,
    });
  }

  get enabled(): boolean {
    return this.transport !== undefined;
  }

  async send(req: SendEmailRequest): Promise<SendEmailResult> {
    const mail = checkRequest(req);
    if (!this.transport || !this.config) {
      throw new ServiceUnavailableError('notifications: email is not configured (set notifications.email.smtp and notifications.email.from)');
    }
    try {
      const info = await this.transport.sendMail({ from: this.config.from, ...mail });
      const list = (v: unknown) => (Array.isArray(v) ? v.map((a) => (typeof a === 'string' ? a : String((a as { address?: string }).address ?? a))) : []);
      return { messageId: String(info.messageId ?? ''), accepted: list(info.accepted), rejected: list(info.rejected) };
    } catch (err) {
      const message = (err as Error).message;
      this.logger.warn({ err, host: this.config.smtp.host, port: this.config.smtp.port }, 'notifications: sending email failed');
      throw new ServiceUnavailableError(`notifications: the SMTP server ${this.config.smtp.host}:${this.config.smtp.port} did not take the email: ${message}`);
    }
  }

  close(): void {
    this.transport?.close();
  }
}
