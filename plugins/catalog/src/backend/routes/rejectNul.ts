import { InputError } from '@atrium/backend-plugin-api';
import type { NextFunction, Request, Response } from 'express';
import { findNul, NUL } from '../ingestion/nulCharacters.js';

/**
 * Refuses, with 400, any catalog request carrying a NUL character (U+0000) in its path, a
 * query parameter or anywhere in its JSON body (keys included). Postgres cannot store or
 * compare text holding NUL, so such a value could only ever fail deeper down, as a 500.
 */
export function rejectNul(req: Request, _res: Response, next: NextFunction): void {
  if (/%00/i.test(req.path)) throw new InputError('Invalid request path: it contains a NUL character (%00)');
  // A NUL reaches the path or query only as `%00` (Node's parser refuses a raw zero byte in a URL).
  if (/%00/i.test(req.url))
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (name.includes(NUL)) throw new InputError('Invalid request query: a parameter name contains a NUL character (\\u0000)');
      const at = findNul(value);
      if (at !== undefined) throw new InputError(`Invalid request query: parameter ${name} contains a NUL character (\\u0000)`);
    }
  if (req.body !== undefined && req.body !== null && typeof req.body === 'object') {
    const at = findNul(req.body);
    if (at !== undefined) throw new InputError(`Invalid request body: ${at || 'the body'} contains a NUL character (\\u0000)`, { field: at });
  }
  next();
}
