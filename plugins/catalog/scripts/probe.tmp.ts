import { startTestBackend } from '@atrium/test-utils';
import { catalogPlugin } from '../src/backend/index.js';
const b = await startTestBackend({ database: 'postgres', postgresUrl: process.argv[2], plugins: [catalogPlugin], config: { catalog: { processingPollMs: 100000 } } });
for (const p of ['/api/catalog/entities/by-name/group/default/team-rewards-0207', '/api/catalog/entities/by-query?filter=kind=group&limit=1']) {
  const t = Date.now(); const r = await b.fetch(p); console.log(r.status, Date.now() - t, (await r.text()).slice(0, 200));
}
await b.stop();
