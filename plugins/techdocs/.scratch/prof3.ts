import { prepareHighlighter, highlightSync } from '../src/backend/render/highlighter.js';
const h = await prepareHighlighter(['ts', 'python', 'yaml', 'bash', 'json', 'go']);
const code = 'export async function handle1(req: Request): Promise<Response> {\n  const body = await req.json() as { id: string; amount: number };\n  return Response.json({ ok: true });\n}';
let t = Date.now();
for (let i = 0; i < 50; i++) highlightSync(h, code + 'w' + i, 'ts');
console.log('warmup 50', Date.now() - t);
t = Date.now();
for (let i = 0; i < 200; i++) highlightSync(h, code + i, 'ts');
console.log('200 ts html', Date.now() - t);
t = Date.now();
for (let i = 0; i < 200; i++) h.codeToTokens(code + 'x' + i, { lang: 'ts', themes: { light: 'github-light', dark: 'github-dark' } });
console.log('200 ts tokens (dual themes)', Date.now() - t);
t = Date.now();
for (let i = 0; i < 200; i++) h.codeToTokensBase(code + 'y' + i, { lang: 'ts', theme: 'github-light' });
console.log('200 ts tokens (one theme)', Date.now() - t);
for (const lang of ['python', 'yaml', 'bash', 'json', 'go']) {
  t = Date.now();
  for (let i = 0; i < 50; i++) highlightSync(h, `x = ${i}\nprint("a${i}")\nfor a in b:\n  pass\n`, lang);
  console.log(lang, '50 blocks', Date.now() - t);
}
