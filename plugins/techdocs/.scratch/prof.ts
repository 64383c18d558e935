import { buildSite } from '../src/backend/build/buildSite.js';
import { LocalDocsTree } from '../src/backend/source/localTree.js';
const dir = process.argv[2]!;
for (let i = 0; i < 3; i++) {
  const t0 = Date.now();
  const tree = await LocalDocsTree.open(dir, { maxFileBytes: 30e6, maxFiles: 50000 });
  const r = await buildSite({ tree, triplet: { namespace: 'default', kind: 'component', name: 'x' }, entityTitle: 'X', force: true });
  console.log(r.outcome, Date.now() - t0, 'ms');
}
