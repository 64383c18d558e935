import { parentPort } from 'node:worker_threads';
import { SiteLinks } from '../build/links.js';
import { prepareHighlighter } from './highlighter.js';
import { MarkdownRenderer } from './markdown.js';
import type { RenderRequest, RenderResponse } from './renderProtocol.js';

/**
 * The body of the TechDocs render thread: Markdown → sanitized HTML, one page per request, so
 * a slow page never blocks the thread that serves HTTP, and the pool can kill it when it passes
 * its time budget.
 */
const port = parentPort;
if (!port) throw new Error('pageRenderWorker.js must run in a worker thread');
const renderer = new MarkdownRenderer();
let links: SiteLinks | undefined;
let iframeHosts: string[] = [];

port.on('message', (message: RenderRequest) => {
  void handle(message).then((response) => port.postMessage(response));
});

async function handle(message: RenderRequest): Promise<RenderResponse> {
  if (message.type === 'site') {
    try {
      const { site } = message;
      links = new SiteLinks(site.triplet, new Set(site.files), new Map(site.routes));
      iframeHosts = site.allowedIframeHosts;
      renderer.setHighlighter(await prepareHighlighter(site.langs));
      return { type: 'site', id: message.id };
    } catch (e) {
      return { type: 'site', id: message.id, error: (e as Error).message };
    }
  }
  const site = links;
  const warnings: string[] = [];
  if (!site) return { type: 'page', id: message.id, error: 'no site was prepared', warnings, usedAssets: [] };
  const warn = (m: string) => warnings.push(m);
  site.usedAssets.clear();
  try {
    const page = renderer.render(message.markdown, {
      resolveLink: (href) => site.link(message.srcPath, href, warn),
      resolveImage: (src) => site.image(message.srcPath, src, warn),
      allowedIframeHosts: iframeHosts,
      warn,
    });
    if (page.html.length > message.maxHtmlBytes) {
      return {
        type: 'page',
        id: message.id,
        error: `its HTML would be larger than ${Math.round(message.maxHtmlBytes / 1024 / 1024)} MB`,
        warnings,
        usedAssets: [],
      };
    }
    return { type: 'page', id: message.id, page, warnings, usedAssets: [...site.usedAssets] };
  } catch (e) {
    return { type: 'page', id: message.id, error: (e as Error).message, warnings, usedAssets: [] };
  }
}
