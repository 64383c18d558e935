/**
 * The one catalogue of error types. A route handler throws one of these; the host's error
 * handler turns it into the JSON error body with the matching status code. Names follow
 * Backstage's error names so existing clients recognise them.
 */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly details?: unknown;
  constructor(name: string, statusCode: number, message: string, details?: unknown) {
    super(message);
    this.name = name;
    this.statusCode = statusCode;
    this.details = details;
  }
}

/** The request is malformed: bad body, query or parameters (400). */
export class InputError extends HttpError {
  constructor(message: string, details?: unknown) {
    super('InputError', 400, message, details);
  }
}
/** The caller is not signed in (401). */
export class AuthenticationError extends HttpError {
  constructor(message = 'Authentication required') {
    super('AuthenticationError', 401, message);
  }
}
/** The caller may not do this (403). */
export class NotAllowedError extends HttpError {
  constructor(message = 'Not allowed') {
    super('NotAllowedError', 403, message);
  }
}
/** The thing asked for does not exist (404). */
export class NotFoundError extends HttpError {
  constructor(message: string) {
    super('NotFoundError', 404, message);
  }
}
/** The request clashes with the current state (409). */
export class ConflictError extends HttpError {
  constructor(message: string) {
    super('ConflictError', 409, message);
  }
}
/** The request body is over the size limit (413). */
export class PayloadTooLargeError extends HttpError {
  constructor(message: string) {
    super('PayloadTooLargeError', 413, message);
  }
}
/** A dependency (database, remote) is not available right now (503). */
export class ServiceUnavailableError extends HttpError {
  constructor(message: string) {
    super('ServiceUnavailableError', 503, message);
  }
}

/** The JSON body every error response carries. */
export interface ErrorResponseBody {
  error: { name: string; message: string; details?: unknown };
  request: { method: string; url: string };
  response: { statusCode: number };
}

export function isHttpError(e: unknown): e is HttpError {
  return e instanceof HttpError;
}

/**
 * A plugin's config is wrong in a way its JSON Schema cannot express (e.g. a custom kind's
 * schema that does not compile). Thrown from setup(), it stops the whole start with the config
 * file and `key` (a full dot path such as `catalog.kinds`), instead of failing only this plugin.
 */
export class ConfigError extends Error {
  readonly key: string;
  constructor(key: string, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.key = key;
  }
}
