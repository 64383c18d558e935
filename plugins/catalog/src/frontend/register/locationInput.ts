import type { LocationType } from '@atrium/plugin-catalog/common';

/**
 * What kind of location a user typed: an absolute path is a `file` location (allowed only under
 * the server's configured roots), an SSH or `.git` URL is a `git` repository, anything else a
 * `url` of a descriptor or of a repository page.
 */
export function locationTypeOf(input: string): LocationType {
  const value = input.trim();
  if (value.startsWith('/')) return 'file';
  if (/^(git@|ssh:\/\/|git:\/\/)/.test(value) || /\.git\/?$/.test(value)) return 'git';
  return 'url';
}
