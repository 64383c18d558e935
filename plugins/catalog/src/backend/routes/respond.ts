import type { Response } from 'express';
import { projectFields } from '../query/fields.js';

/** Sends JSON assembled from stored entity JSON text, without parsing it when no projection is asked. */
export function entityListJson(texts: string[], fields: string[] | undefined): string {
  if (!fields) return `[${texts.join(',')}]`;
  return JSON.stringify(texts.map((t) => projectFields(JSON.parse(t) as object, fields)));
}

export function entityJson(text: string, fields?: string[]): string {
  return fields ? JSON.stringify(projectFields(JSON.parse(text) as object, fields)) : text;
}

export function sendJsonText(res: Response, status: number, body: string): void {
  res.status(status).type('application/json').send(body);
}

/** Express 5 gives each repeated query parameter as an array; normalise to a list. */
export function listParam(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).map(String);
}
