/** The JSON body every Atrium API error response carries. */
export interface ApiErrorBody {
  error: { name: string; message: string; [key: string]: unknown };
  request?: { method: string; url: string };
  response?: { statusCode: number };
}

/**
 * A failed API call. `status` is the HTTP status, or 0 when the server could not be reached;
 * `message` is the server's own message when it sent one.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  /** The server's error name, e.g. `NotFoundError`; undefined when the body was not an Atrium error. */
  readonly errorName: string | undefined;
  readonly method: string;
  readonly url: string;

  constructor(options: { message: string; status: number; errorName?: string; method: string; url: string; cause?: unknown }) {
    super(options.message, { cause: options.cause });
    this.status = options.status;
    this.errorName = options.errorName;
    this.method = options.method;
    this.url = options.url;
  }

  /** 4xx: asking again will not help, so callers should not retry. */
  get isClientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const { error } = value as { error: unknown };
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string' &&
    typeof (error as { name?: unknown }).name === 'string'
  );
}
