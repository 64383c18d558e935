import { InputError } from '@atrium/backend-plugin-api';
import type { RequestHandler } from 'express';

const NUL = '\u0000';

/** Where the first NUL character is in a parsed JSON value (`body.a.b[2]`), or undefined. */
export function findNul(value: unknown, root = 'body'): string | undefined {
  // Iterative: a deeply nested body must not overflow the stack.
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0) {
    const [v, where] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes(NUL)) return where;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${where}[${i}]`]);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        if (k.includes(NUL)) return `${where} (a key)`;
        stack.push([child, `${where}.${k}`]);
      }
    }
  }
  return undefined;
}

function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path; // malformed escapes are the router's to refuse
  }
}

/** Marks a JSON body whose raw bytes could hold a NUL (a `\u0000` escape or a raw zero byte). */
export function markPossibleNul(req: { atriumMaybeNul?: boolean }, buf: Buffer): void {
  if (buf.includes(0) || buf.includes('\\u0000')) req.atriumMaybeNul = true;
}

function refuse(where: string): InputError {
  return new InputError(`Invalid request: ${where} contains a NUL character (\\u0000), which is not allowed`, {
    errors: [{ path: where, message: 'must not contain a NUL character (\\u0000)' }],
  });
}

/**
 * Postgres text cannot hold NUL, and no API value needs it: a NUL in the path, a query
 * parameter or anywhere in a JSON body is refused with 400 naming where it was, instead of
 * failing deep inside a plugin with a 500.
 */
export const nulGuard: RequestHandler = (req, _res, next) => {
  // A NUL reaches the path or query only as `%00` (Node's parser refuses a raw zero byte in a URL).
  if (/%00/i.test(req.url)) {
    if (decodedPath(req.path).includes(NUL)) return next(new InputError('The request path contains a NUL character (\\u0000), which is not allowed'));
    const inQuery = findNul(req.query as Record<string, unknown>, 'query');
    if (inQuery) return next(refuse(inQuery));
  }
  if ((req as { atriumMaybeNul?: boolean }).atriumMaybeNul) {
    const inBody = findNul(req.body);
    if (inBody) return next(refuse(inBody));
  }
  next();
};
