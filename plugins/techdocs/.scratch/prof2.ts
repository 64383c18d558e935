import { buildSite } from '../src/backend/build/buildSite.js';
import { LocalDocsTree } from '../src/backend/source/localTree.js';
import { prepareHighlighter, highlightSync, fenceLanguages } from '../src/backend/render/highlighter.js';
const dir = process.argv[2]!;
let t = Date.now();
const h = await prepareHighlighter(['ts', 'python', 'yaml', 'bash', 'json', 'go']);
console.log('highlighter+langs', Date.now() - t);
t = Date.now();
const code = 'export async function handle1(req: Request): Promise<Response> {\n  const body = await req.json() as { id: string; amount: number };\n  return Response.json({ ok: true });\n}';
for (let i = 0; i < 200; i++) highlightSync(h, code + i, 'ts');
console.log('200 ts blocks', Date.now() - t);
t = Date.now();
for (let k = 0; k < 2; k++) {
  t = Date.now();
  const tree = await LocalDocsTree.open(dir, { maxFileBytes: 30e6, maxFiles: 50000 });
  const r = await buildSite({ tree, triplet: { namespace: 'default', kind: 'component', name: 'x' }, entityTitle: 'X', force: true });
  console.log('build', r.outcome, Date.now() - t);
}
