// Makes sure the Chromium the end-to-end tests drive is installed. Playwright's own browser
// download is not used (its CDN is unreachable here); Debian's `chromium` package is.
// As root, installs it with apt-get; otherwise says what to install and exits 1.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (existsSync(executable)) {
  process.exit(0);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || process.env.CHROMIUM_PATH) {
  console.error(
    `ensure-browser: no Chromium at ${executable}.\n` +
      '  Install it with:  sudo apt-get update && sudo apt-get install -y chromium\n' +
      '  or point CHROMIUM_PATH at an existing Chromium or Chrome executable.',
  );
  process.exit(1);
}

console.log('ensure-browser: installing Chromium with apt-get (about 100 MB)…');
for (const args of [['update'], ['install', '-y', 'chromium']]) {
  const result = spawnSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) {
    console.error(`ensure-browser: \`apt-get ${args.join(' ')}\` failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}
if (!existsSync(executable)) {
  console.error(`ensure-browser: apt-get finished but ${executable} is still missing.`);
  process.exit(1);
}
console.log(`ensure-browser: Chromium installed at ${executable}.`);
