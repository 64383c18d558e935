/**
 * The readers (shared with TechDocs and the scaffolder) refuse files outside the allowed roots
 * and private addresses without knowing which config key governs them; in the catalog those
 * are `catalog.readers.fileRoots` and `catalog.readers.allowPrivateNetworks`, and every refusal
 * says so.
 */
export function withConfigKeys(message: string): string {
  let out = message.replace(/\(set allowPrivateNetworks to allow it\)/, '(set catalog.readers.allowPrivateNetworks: true to allow it)');
  if (/private or link-local address/.test(out) && !out.includes('catalog.readers.allowPrivateNetworks')) {
    out += ' (set catalog.readers.allowPrivateNetworks: true to allow it)';
  }
  if (/outside the allowed file roots/.test(out) && !out.includes('catalog.readers.fileRoots')) {
    out += ' (add its directory to catalog.readers.fileRoots to allow it)';
  }
  return out;
}
