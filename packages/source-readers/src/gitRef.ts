/**
 * Thrown by {@link validateGitRef}; HTTP layers answer it as bad input (400).
 */
export class InvalidGitRefError extends Error {
  constructor(
    readonly ref: string,
    reason: string,
  ) {
    super(`Git ref ${JSON.stringify(ref)} is not a valid branch, tag or commit name: ${reason}`);
    this.name = 'InvalidGitRefError';
  }
}

const REF_CHARS = /^[A-Za-z0-9._/@+-]+$/;

/**
 * Refuses a ref that git could read as an option or that git itself rejects (git-check-ref-format),
 * narrowed to a safe character set: empty or over 255 characters, a leading `-`, control
 * characters, spaces and `~^:?*[\`, `..`, `@{`, a lone `@`, `//`, a leading or trailing `/`,
 * a component starting with `.` or ending in `.lock`, a trailing `.`.
 * Throws {@link InvalidGitRefError} naming the reason.
 */
export function validateGitRef(ref: string): void {
  const fail = (reason: string): never => {
    throw new InvalidGitRefError(ref, reason);
  };
  if (typeof ref !== 'string' || ref.length === 0) fail('it is empty');
  if (ref.length > 255) fail('it is longer than 255 characters');
  if (ref.startsWith('-')) fail('it starts with "-"');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f]/.test(ref)) fail('it contains a control character or a space');
  if (!REF_CHARS.test(ref)) fail('only letters, digits and . _ / @ + - are allowed');
  if (ref.includes('..')) fail('it contains ".."');
  if (ref.includes('@{') || ref === '@') fail('"@{" and a lone "@" are reserved');
  if (ref.includes('//')) fail('it contains "//"');
  if (ref.startsWith('/') || ref.endsWith('/')) fail('it starts or ends with "/"');
  if (ref.endsWith('.')) fail('it ends with "."');
  for (const part of ref.split('/')) {
    if (part.startsWith('.')) fail('a component starts with "."');
    if (part.endsWith('.lock')) fail('a component ends with ".lock"');
  }
}

/** Whether {@link validateGitRef} accepts `ref`. */
export function isValidGitRef(ref: string): boolean {
  try {
    validateGitRef(ref);
    return true;
  } catch {
    return false;
  }
}
