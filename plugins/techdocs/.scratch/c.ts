import fs from 'node:fs';
import { parseMkdocsConfig } from '../src/backend/build/mkdocsConfig.js';
for (const d of fs.readdirSync('/work/shared/corpus/techdocs')) {
  const t = fs.readFileSync(`/work/shared/corpus/techdocs/${d}/mkdocs.yml`, 'utf8');
  const c = parseMkdocsConfig('mkdocs.yml', t, { siteName: d }, (m) => console.log('WARN', m));
  console.log(d, c.siteName, c.docsDir, JSON.stringify(c.nav)?.slice(0, 200));
}
