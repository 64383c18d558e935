// `npm start [-- --config extra.yaml]`: build what is missing, then start the portal.
import path from 'node:path';
import { repoRoot, run } from './lib.mjs';

const buildCode = await run(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')]);
if (buildCode !== 0) process.exit(buildCode);
const code = await run(process.execPath, [path.join(repoRoot, 'packages/cli/bin/atrium.js'), 'start', ...process.argv.slice(2)]);
process.exit(code);
