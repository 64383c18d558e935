// Entry for `npm run dev`: tsx runs the CLI from source.
import { run } from './main.js';

process.exitCode = await run(process.argv.slice(2));
