import fs from 'node:fs';
import { buildSite } from '../src/backend/build/buildSite.js';
import { LocalDocsTree } from '../src/backend/source/localTree.js';
import type { NavNode } from '../src/common/index.js';
for (const d of fs.readdirSync('/work/shared/corpus/techdocs')) {
  const tree = await LocalDocsTree.open(`/work/shared/corpus/techdocs/${d}`, { maxFileBytes: 30e6, maxFiles: 50000 });
  const r = await buildSite({ tree, triplet: { namespace: 'default', kind: 'component', name: 'x' }, entityTitle: 'X' });
  const pages = new Map(r.site!.pages.map((p) => [p.route, p]));
  const navRoutes: string[] = [];
  const walk = (n: NavNode[]) => n.forEach((x) => (x.type === 'page' ? navRoutes.push(x.route) : x.type === 'section' ? walk(x.children) : 0));
  walk(r.site!.nav);
  const seen = new Set<string>([r.site!.homeRoute, ...navRoutes]);
  const queue = [...seen];
  while (queue.length) { const p = pages.get(queue.pop()!); if (!p) continue; for (const m of p.html.matchAll(/data-docs-route="([^"]*)"/g)) if (!seen.has(m[1]!)) { seen.add(m[1]!); queue.push(m[1]!); } }
  const unreached = [...pages.keys()].filter((k) => !seen.has(k));
  console.log(d, pages.size, 'nav', navRoutes.length, 'unreached', unreached);
}
