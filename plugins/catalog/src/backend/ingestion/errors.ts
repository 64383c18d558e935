import type { IngestionError, IngestionErrorKind } from './types.js';

/**
 * Thrown by the readers. `kind` is `read` (missing, unreachable, too large) or `security`
 * (refused by a root, network or protocol rule); `notFound` lets optional locations stay quiet.
 */
export class ReadError extends Error {
  readonly kind: Extract<IngestionErrorKind, 'read' | 'security'>;
  readonly notFound: boolean;
  constructor(kind: 'read' | 'security', message: string, options: { notFound?: boolean } = {}) {
    super(message);
    this.name = kind === 'security' ? 'NotAllowedError' : options.notFound ? 'NotFoundError' : 'ReadError';
    this.kind = kind;
    this.notFound = options.notFound ?? false;
  }
}

export function toIngestionError(error: unknown, file: string): IngestionError {
  if (error instanceof ReadError) return { kind: error.kind, message: error.message, file };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'read', message, file };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
