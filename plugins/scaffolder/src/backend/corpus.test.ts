import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTemplateFolder, dryRunHarness } from './testing/templateDryRun.testing.js';

/**
 * Backstage's own and community templates, from the corpus that sits beside CI's checkout
 * (`../shared/corpus/templates`). A fresh clone does not have it: the suite is then skipped with
 * a message, and templateSamples.test.ts proves the same things on templates this repository ships.
 */
const CORPUS = path.resolve(import.meta.dirname, '../../../../../shared/corpus/templates');
const present = existsSync(CORPUS);
if (!present) {
  console.warn(
    `[scaffolder] skipping the Backstage template corpus test: ${CORPUS} is absent (templateSamples.test.ts covers the same checks with shipped templates)`,
  );
}

/**
 * Templates whose dry run cannot succeed here, with the reason it reports:
 * - pull-request fetches a skeleton from github.com (translated to a git fetch; no network in CI).
 * - janus techdocs reads ../../../skeletons from its upstream monorepo, which the corpus does not include.
 */
const KNOWN_FAILURES: Record<string, RegExp> = {
  'backstage__software-templates__pull-request': /(Cannot fetch "main" from|Cannot resolve host github\.com).*https:\/\/github\.com\/backstage\/community\.git/,
  'janus-idp__software-templates__techdocs': /skeletons\/catalog-info.*outside the allowed file roots/,
};
/** awslabs/harmonix ships `- {{ gitlab_hostname }}` for its build to replace: not YAML as published. */
const NOT_YAML: Record<string, RegExp> = { 'awslabs__harmonix__aws-rds-resource': /complex keys/ };

describe.skipIf(!present)(present ? 'Backstage template corpus' : 'Backstage template corpus (skipped: ../shared/corpus/templates is absent)', () => {
  const entries = present ? readdirSync(CORPUS).sort() : [];
  let harness: Awaited<ReturnType<typeof dryRunHarness>>;
  beforeAll(async () => {
    harness = await dryRunHarness();
  });
  afterAll(() => harness?.cleanup());

  it('has templates', () => {
    expect(entries.length).toBeGreaterThan(5);
  });

  it.each(entries)('%s: dry-runs or is refused with a clear reason', async (entry) => {
    await checkTemplateFolder(path.join(CORPUS, entry), harness, {
      ...(KNOWN_FAILURES[entry] ? { knownFailure: KNOWN_FAILURES[entry] } : {}),
      ...(NOT_YAML[entry] ? { notYaml: NOT_YAML[entry] } : {}),
    });
  });
});
