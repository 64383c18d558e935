import { MarkdownRenderer } from '../src/backend/render/markdown.js';
import { prepareHighlighter, fenceLanguages } from '../src/backend/render/highlighter.js';
const md = `# Title

Intro [link](other.md#x) and <img src="x.png" onerror="alert(1)"> <script>alert(1)</script>
[bad](javascript:alert(1)) <a href="javascript:alert(2)">x</a>

## Sub heading {#custom}

!!! note "Be careful"
    Some **text**

    - list

??? tip
    hidden

???+ warning "Open"
    open

=== "Python"

    \`\`\`python
    print(1)
    \`\`\`

=== "JS"

    \`\`\`js
    console.log(1)
    \`\`\`

- [ ] todo
- [x] done

Footnote[^1].

[^1]: The note.

*[HTML]: Hyper Text Markup Language

HTML is here.

| a | b |
|:-|-:|
| 1 | 2 |

\`\`\`mermaid
graph TD; A-->B;
\`\`\`

## Sub heading

Term
: Definition
`;
const r = new MarkdownRenderer();
r.setHighlighter(await prepareHighlighter(fenceLanguages(md)));
const out = r.render(md, { resolveLink: (h) => ({ href: '/x/' + h }), resolveImage: (s) => '/img/' + s, allowedIframeHosts: [], warn: (m) => console.log('WARN', m) });
console.log(out.html.replace(/<pre class="shiki[\s\S]*?<\/pre>/g, '<SHIKI/>'));
console.log(JSON.stringify({ title: out.title, toc: out.toc, sections: out.sections, mermaid: out.hasMermaid }, null, 1));
