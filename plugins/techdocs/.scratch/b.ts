import fs from 'node:fs';
import { buildSite } from '../src/backend/build/buildSite.js';
import { LocalDocsTree } from '../src/backend/source/localTree.js';
const dirs = process.argv.slice(2);
for (const dir of dirs) {
  const t0 = Date.now();
  const tree = await LocalDocsTree.open(dir, { maxFileBytes: 30e6, maxFiles: 50000 });
  const r = await buildSite({ tree, triplet: { namespace: 'default', kind: 'component', name: 'x' }, entityTitle: 'X' });
  console.log(dir, r.outcome, Date.now() - t0, 'ms', r.site?.pages.length, 'pages', r.site?.assets.length, 'assets');
  for (const e of r.log) if (e.level !== 'info' || true) console.log('  ', e.level, e.file ?? '', e.message);
}
