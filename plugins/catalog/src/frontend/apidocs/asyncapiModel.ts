import { deref, type JsonObject } from './openapiModel';

/**
 * An AsyncAPI document (2.x or 3.x) reduced to what a reference page shows: servers, and
 * operations with their channel and messages. The two major versions differ in shape
 * (channels carry publish/subscribe in 2.x; operations name a channel and an action in 3.x),
 * so both are read into one model.
 */

export interface AsyncMessage {
  name: string;
  title?: string;
  summary?: string;
  description?: string;
  contentType?: string;
  payload?: JsonObject;
  headers?: JsonObject;
}

export interface AsyncOperation {
  id: string;
  /** As the document says it: `send`/`receive` (3.x) or `publish`/`subscribe` (2.x). */
  action: string;
  channel: string;
  channelDescription?: string;
  summary?: string;
  description?: string;
  messages: AsyncMessage[];
}

export interface AsyncApiModel {
  version: string;
  title: string;
  apiVersion?: string;
  description?: string;
  defaultContentType?: string;
  servers: Array<{ name: string; url: string; protocol?: string; description?: string }>;
  operations: AsyncOperation[];
  schemas: Array<{ name: string; schema: JsonObject }>;
  document: JsonObject;
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
const optional = <K extends string>(key: K, value: string | undefined) => (value ? ({ [key]: value } as Record<K, string>) : {});

export function buildAsyncApiModel(document: JsonObject): AsyncApiModel {
  const version = String(document.asyncapi ?? '?');
  const info = isObject(document.info) ? document.info : {};
  const v3 = version.startsWith('3');
  const components = isObject(document.components) ? document.components : {};
  const schemas = isObject(components.schemas)
    ? Object.entries(components.schemas)
        .filter((e): e is [string, JsonObject] => isObject(e[1]))
        .map(([name, schema]) => ({ name, schema }))
    : [];
  return {
    version: `AsyncAPI ${version}`,
    title: text(info.title) ?? 'Untitled API',
    ...optional('apiVersion', text(info.version)),
    ...optional('description', text(info.description)),
    ...optional('defaultContentType', text(document.defaultContentType)),
    servers: Object.entries(isObject(document.servers) ? document.servers : {}).flatMap(([name, raw]) => {
      const server = deref(document, raw);
      if (!server) return [];
      const url = text(server.url) ?? `${text(server.host) ?? ''}${text(server.pathname) ?? ''}`;
      return [{ name, url, ...optional('protocol', text(server.protocol)), ...optional('description', text(server.description)) }];
    }),
    operations: v3 ? operationsV3(document) : operationsV2(document),
    schemas,
    document,
  };
}

function message(document: JsonObject, raw: unknown, fallbackName: string): AsyncMessage[] {
  const msg = deref(document, raw);
  if (!msg) return [];
  if (Array.isArray(msg.oneOf)) return msg.oneOf.flatMap((m, i) => message(document, m, `${fallbackName}-${i + 1}`));
  const refName = isObject(raw) && typeof raw.$ref === 'string' ? raw.$ref.slice(raw.$ref.lastIndexOf('/') + 1) : undefined;
  return [
    {
      name: text(msg.name) ?? text(msg.messageId) ?? refName ?? fallbackName,
      ...optional('title', text(msg.title)),
      ...optional('summary', text(msg.summary)),
      ...optional('description', text(msg.description)),
      ...optional('contentType', text(msg.contentType)),
      ...(isObject(msg.payload) ? { payload: msg.payload } : {}),
      ...(isObject(msg.headers) ? { headers: msg.headers } : {}),
    },
  ];
}

function operationsV2(document: JsonObject): AsyncOperation[] {
  const operations: AsyncOperation[] = [];
  for (const [channel, raw] of Object.entries(isObject(document.channels) ? document.channels : {})) {
    const item = deref(document, raw);
    if (!item) continue;
    for (const action of ['publish', 'subscribe'] as const) {
      const op = deref(document, item[action]);
      if (!op) continue;
      operations.push({
        id: text(op.operationId) ?? `${action} ${channel}`,
        action,
        channel,
        ...optional('channelDescription', text(item.description)),
        ...optional('summary', text(op.summary)),
        ...optional('description', text(op.description)),
        messages: message(document, op.message, 'message'),
      });
    }
  }
  return operations;
}

function operationsV3(document: JsonObject): AsyncOperation[] {
  const channels = isObject(document.channels) ? document.channels : {};
  return Object.entries(isObject(document.operations) ? document.operations : {})
    .flatMap(([id, raw]) => {
      const op = deref(document, raw);
      if (!op) return [];
      const channelRef = isObject(op.channel) && typeof op.channel.$ref === 'string' ? op.channel.$ref : undefined;
      const channel = deref(document, op.channel);
      const channelKey = channelRef ? channelRef.slice(channelRef.lastIndexOf('/') + 1) : undefined;
      const address = text(channel?.address) ?? channelKey ?? '?';
      const listed = Array.isArray(op.messages) && op.messages.length > 0 ? op.messages : Object.values(isObject(channel?.messages) ? channel.messages : {});
      return [
        {
          id,
          action: text(op.action) ?? 'send',
          channel: address,
          ...optional('channelDescription', text(channel?.description)),
          ...optional('summary', text(op.summary) ?? text(op.title)),
          ...optional('description', text(op.description)),
          messages: listed.flatMap((m, i) => message(document, m, `message-${i + 1}`)),
        },
      ];
    })
    .concat(channelsWithoutOperations(document, channels));
}

/** 3.x channels no operation refers to still carry messages worth showing. */
function channelsWithoutOperations(document: JsonObject, channels: JsonObject): AsyncOperation[] {
  const used = new Set(
    Object.values(isObject(document.operations) ? document.operations : {})
      .map((op) => (isObject(op) && isObject(op.channel) && typeof op.channel.$ref === 'string' ? op.channel.$ref : ''))
      .filter(Boolean),
  );
  return Object.entries(channels)
    .filter(([key]) => !used.has(`#/channels/${key}`))
    .flatMap(([key, raw]) => {
      const channel = deref(document, raw);
      if (!channel) return [];
      const messages = Object.values(isObject(channel.messages) ? channel.messages : {}).flatMap((m, i) => message(document, m, `message-${i + 1}`));
      return [{ id: key, action: 'channel', channel: text(channel.address) ?? key, ...optional('channelDescription', text(channel.description)), messages }];
    });
}
