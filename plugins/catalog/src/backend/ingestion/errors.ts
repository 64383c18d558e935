import { messageOf, ReadError } from '@atrium/source-readers';
import type { IngestionError } from './types.js';

export { messageOf, ReadError };

export function toIngestionError(error: unknown, file: string): IngestionError {
  if (error instanceof ReadError) return { kind: error.kind, message: error.message, file };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'read', message, file };
}
