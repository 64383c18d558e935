/**
 * A problem that stops the backend from starting. Its message is one paragraph meant for the
 * person running `atrium start`: what is wrong, where, and what to do. The CLI prints only the
 * message (no stack) and exits non-zero.
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}
