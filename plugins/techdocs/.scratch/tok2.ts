import { prepareHighlighter, highlightSync } from '../src/backend/render/highlighter.js';
const h = await prepareHighlighter(['ts', 'python']);
console.log(highlightSync(h, 'const a = "<x>"; // c\n\nlet b\n', 'ts'));
console.log(highlightSync(h, 'def f(x):\n  return x  # hi\n', 'python'));
