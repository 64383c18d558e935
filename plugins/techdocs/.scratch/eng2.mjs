import { createHighlighter, createCssVariablesTheme } from 'shiki';
import { createOnigurumaEngine } from 'shiki/engine/oniguruma';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';
const which = process.argv[2];
const theme = createCssVariablesTheme({ name: 't' });
let t = Date.now();
const h = await createHighlighter({ themes: [theme], langs: ['ts', 'python', 'yaml', 'bash', 'json', 'go'], engine: which === 'js' ? createJavaScriptRegexEngine({ forgiving: true }) : createOnigurumaEngine(import('shiki/wasm')) });
console.log(which, 'init', Date.now() - t);
const code = 'export async function handle1(req: Request): Promise<Response> {\n  const body = await req.json() as { id: string; amount: number };\n  return Response.json({ ok: true });\n}';
for (const lang of ['ts', 'python', 'yaml', 'bash', 'json', 'go']) {
  t = Date.now();
  for (let i = 0; i < 67; i++) h.codeToTokensBase(code + i, { lang, theme: 't' });
  const a = Date.now() - t; t = Date.now();
  for (let i = 0; i < 67; i++) h.codeToTokensBase(code + 'z' + i, { lang, theme: 't' });
  console.log(which, lang, 'cold', a, 'warm', Date.now() - t);
}
