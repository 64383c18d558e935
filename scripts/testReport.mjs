// Names of the failed tests in the runners' JSON reports, for the lines `npm test` prints just
// before its closing `N passed, N failed` line: a CI log that is cut to its end still says which
// test failed and why, in one line each.

/** The first line of a failure message, without terminal colours, at most 300 characters. */
function firstLine(message) {
  // eslint-disable-next-line no-control-regex
  const plain = String(message ?? '').replace(/\u001b\[[0-9;]*m/g, '');
  const line = plain.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.trim().slice(0, 300);
}

/** Vitest's JSON report (Jest's shape): every failed test, and every file that failed to run. */
export function failedVitestTests(report, root = '') {
  const out = [];
  for (const file of report?.testResults ?? []) {
    const name = root && file.name?.startsWith(root) ? file.name.slice(root.length).replace(/^\//, '') : file.name;
    const failed = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const a of failed) out.push(`${name} > ${a.fullName ?? a.title}: ${firstLine(a.failureMessages?.[0])}`);
    if (failed.length === 0 && file.status === 'failed') out.push(`${name}: ${firstLine(file.message) || 'the file failed to run'}`);
  }
  return out;
}

/** Playwright's JSON report: every test whose outcome was unexpected (failed on every try). */
export function failedPlaywrightTests(report) {
  const out = [];
  const walk = (suite, prefix) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'unexpected') continue;
        const last = t.results?.at(-1);
        out.push(`${prefix}${spec.title}: ${firstLine(last?.error?.message ?? last?.errors?.[0]?.message)}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, `${prefix}${child.title} > `);
  };
  for (const suite of report?.suites ?? []) walk(suite, `${suite.title} > `);
  return out;
}
