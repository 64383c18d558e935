import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { InputError } from '@atrium/backend-plugin-api';
import { assertOutboundAllowed, ReadError } from '@atrium/source-readers';

/** `notifications.slack`: where users' incoming webhooks may point. */
export interface SlackSettings {
  /** Allow loopback and private addresses (and plain http), for a local receiver. Default false. */
  allowPrivateNetworks: boolean;
  /** Hosts a webhook URL may name (`hooks.slack.com`, `*.example.com`); absent: any public host. */
  allowedHosts?: string[];
  timeoutMs: number;
}

const privateKey = 'notifications.slack.allowPrivateNetworks';

async function guard(url: string, settings: SlackSettings) {
  if (typeof url !== 'string' || url.length > 2000) throw new InputError('The Slack webhook URL must be a URL of at most 2000 characters');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`The Slack webhook URL ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.username || parsed.password) throw new InputError('The Slack webhook URL must not carry a user name or password');
  return assertOutboundAllowed(url, {
    allowPrivateNetworks: settings.allowPrivateNetworks,
    transports: settings.allowPrivateNetworks ? ['https', 'http'] : ['https'],
    privateNetworksKey: privateKey,
    ...(settings.allowedHosts ? { allowedHosts: settings.allowedHosts } : {}),
  });
}

/**
 * Checks a webhook URL a user wants to save, through the shared outbound guard (https only,
 * public addresses only unless allowed in config, the allowed hosts). A refusal is a 400 with
 * the guard's reason.
 */
export async function checkSlackWebhookUrl(url: string, settings: SlackSettings): Promise<void> {
  try {
    await guard(url, settings);
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof ReadError) throw new InputError(`Slack webhook URL refused: ${e.message}`);
    throw e;
  }
}

/** Connects only to addresses the guard checked, so DNS cannot answer differently the second time. */
function pinnedLookup(addresses: string[]): LookupFunction | undefined {
  if (addresses.length === 0) return undefined;
  const list = addresses.map((address) => ({ address, family: net.isIPv6(address) ? 6 : 4 }));
  return (_hostname, options, callback) => {
    const usable = options.family ? list.filter((a) => a.family === options.family) : list;
    const first = usable[0];
    if (!first) return callback(new Error(`No IPv${options.family} address was checked for this host`), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: typeof list) => void)(null, usable);
    callback(null, first.address, first.family);
  };
}

/**
 * POSTs `{ text }` to an incoming webhook (Slack's format; Mattermost and others accept it),
 * through the guard again at send time. Resolves when the receiver answers 2xx; rejects with
 * the reason otherwise. The answer body is read up to 4 KB and dropped.
 */
export async function postToSlack(url: string, text: string, settings: SlackSettings): Promise<void> {
  const checked = await guard(url, settings);
  const target = new URL(url);
  const body = JSON.stringify({ text });
  const lib = target.protocol === 'https:' ? https : http;
  await new Promise<void>((resolve, reject) => {
    const req = lib.request(target, {
      method: 'POST',
      agent: false,
      lookup: pinnedLookup(checked.addresses),
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'atrium-notifications' },
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    req.on('response', (res) => {
      let seen = 0;
      res.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > 4096) res.destroy();
      });
      res.on('close', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else reject(new Error(`the webhook answered ${status}`));
      });
      res.on('error', () => undefined);
    });
    req.on('error', (e) => reject(new Error(`the webhook could not be reached: ${e.message}`)));
    req.end(body);
  });
}
