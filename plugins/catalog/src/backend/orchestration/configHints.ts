/**
 * The readers (shared with TechDocs and the scaffolder) refuse files outside the allowed roots
 * and private addresses without knowing which config key governs them; in the catalog those
 * are `backend.reading.fileRoots` and `backend.reading.allowPrivateNetworks`, and every refusal
 * says so.
 */
export function withConfigKeys(message: string): string {
  let out = message.replace(/\(set allowPrivateNetworks to allow it\)/, '(set backend.reading.allowPrivateNetworks: true to allow it)');
  if (/private or link-local address/.test(out) && !out.includes('backend.reading.allowPrivateNetworks')) {
    out += ' (set backend.reading.allowPrivateNetworks: true to allow it)';
  }
  if (/outside the allowed file roots/.test(out) && !out.includes('backend.reading.fileRoots')) {
    out += ' (add its directory to backend.reading.fileRoots to allow it)';
  }
  return out;
}
