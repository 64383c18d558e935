/**
 * Thrown by the readers. `kind` is `read` (missing, unreachable, too large) or `security`
 * (refused by a root, network or protocol rule); `notFound` lets optional reads stay quiet.
 */
export class ReadError extends Error {
  readonly kind: 'read' | 'security';
  readonly notFound: boolean;
  constructor(kind: 'read' | 'security', message: string, options: { notFound?: boolean } = {}) {
    super(message);
    this.name = kind === 'security' ? 'NotAllowedError' : options.notFound ? 'NotFoundError' : 'ReadError';
    this.kind = kind;
    this.notFound = options.notFound ?? false;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
