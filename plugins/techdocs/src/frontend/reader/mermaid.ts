type MermaidApi = typeof import('mermaid').default;
let loading: Promise<MermaidApi> | undefined;
// Mermaid's configuration is global: renders run one after another, never interleaved.
let queue: Promise<void> = Promise.resolve();

/** Loads Mermaid on first use only: pages without diagrams never download it. */
function loadMermaid(): Promise<MermaidApi> {
  loading ??= import('mermaid').then((m) => m.default);
  return loading;
}

/**
 * Renders the `<pre class="mermaid">` blocks of a page in the browser. The diagram source is
 * kept on the element so a colour-scheme switch can render it again. `isStale` lets a newer
 * render (new page, new scheme) supersede one still waiting.
 */
export function renderMermaid(root: HTMLElement, dark: boolean, isStale: () => boolean): Promise<void> {
  const run = async () => {
    if (isStale()) return;
    const nodes = [...root.querySelectorAll<HTMLElement>('pre.mermaid')];
    if (nodes.length === 0) return;
    const mermaid = await loadMermaid();
    if (isStale()) return;
    for (const node of nodes) {
      node.dataset['source'] ??= node.textContent ?? '';
      node.removeAttribute('data-processed');
      node.textContent = node.dataset['source'] ?? '';
    }
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: dark ? 'dark' : 'default' });
    try {
      await mermaid.run({ nodes, suppressErrors: true });
    } catch (e) {
      console.warn('Mermaid could not render a diagram', e);
    }
  };
  queue = queue.then(run, run);
  return queue;
}
