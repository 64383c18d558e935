import { chromium } from '@playwright/test';
const base = 'http://localhost:17500';
const shots = JSON.parse(process.argv[2]);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const [name, path, scheme, width] of shots) {
  const ctx = await browser.newContext({ viewport: { width: width ?? 1440, height: 900 }, colorScheme: scheme });
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.log('console error', name, m.text()); });
  await page.goto(base + path, { waitUntil: 'networkidle' });
  await page.waitForTimeout(800);
  await page.screenshot({ path: `/tmp/shot-${name}.png`, fullPage: false });
  await ctx.close();
}
await browser.close();
