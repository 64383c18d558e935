import { prepareHighlighter } from '../src/backend/render/highlighter.js';
const h = await prepareHighlighter(['ts']);
const r = h.codeToTokens('const a = "<x>";\n\nlet b', { lang: 'ts', themes: { light: 'github-light', dark: 'github-dark' }, defaultColor: false });
console.log(JSON.stringify({ ...r, tokens: r.tokens }, null, 0).slice(0, 1500));
console.log(h.codeToHtml('const a = "<x>";\n\nlet b', { lang: 'ts', themes: { light: 'github-light', dark: 'github-dark' }, defaultColor: false }));
