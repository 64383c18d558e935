import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFast } from './fastYaml.js';
import { parseYamlDocuments, parseYamlDocumentsWithEvents, type YamlDocument } from './parseYaml.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const sharedCorpus = path.resolve(repoRoot, '../shared/corpus');
const options = { aliasBudget: 100_000 };

/** What a caller sees of a document: value, emptiness, start, problem. */
const shape = (docs: YamlDocument[]) => docs.map((d) => ({ value: d.value, empty: d.empty, start: d.start, problem: d.problem }));

/** The fast path gives what the event stream gives, and reports whether it was taken. */
function expectSameAsEvents(text: string): boolean {
  expect(shape(parseYamlDocuments(text, options))).toEqual(shape(parseYamlDocumentsWithEvents(text, options)));
  return parseFast(text) !== undefined;
}

function yamlFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...yamlFiles(full));
    else if (/\.ya?ml$/.test(entry.name)) found.push(full);
  }
  return found;
}

describe('parseYamlDocuments fast path', () => {
  it('takes the fast path for a plain descriptor file and gives the same documents and starts', () => {
    const text = `# a comment before the first document
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments
  description: >
    Folded text
    over two lines.
  tags: [java, "quoted"]
  links:
    - url: https://example.com/d/x?orgId=1&refresh=30s
      title: R&D dashboard
spec:
  type: service
  lifecycle: production
  owner: team-a
  notes: |
    literal
      kept
---
--- # an empty document, then one with content on the marker line
--- {kind: Group, metadata: {name: team-a}}
...
# after a document end marker
kind: User
metadata: { name: ann }
---
`;
    expect(expectSameAsEvents(text)).toBe(true);
    const docs = parseYamlDocuments(text, options);
    expect(docs.map((d) => [d.empty, d.start.line, d.start.column])).toEqual([
      [false, 2, 1],
      [true, 1, 1],
      [true, 1, 1],
      [false, 22, 5],
      [false, 25, 1],
      [true, 1, 1],
    ]);
  });

  it('locates fields through the event parser, on demand', () => {
    const text = 'kind: A\n---\nkind: B\nspec:\n  owner: x\n  list:\n    - a\n    - b\n';
    expect(parseFast(text)).toBeDefined();
    const [a, b] = parseYamlDocuments(text, options);
    const [ea, eb] = parseYamlDocumentsWithEvents(text, options);
    for (const field of ['kind', 'spec', 'spec.owner', 'spec.list[1]', 'spec.missing.deeper']) {
      expect(b!.locate(field)).toEqual(eb!.locate(field));
      expect(a!.locate(field)).toEqual(ea!.locate(field));
    }
    expect(b!.locate('spec.owner')).toEqual({ line: 5, column: 3 });
  });

  it.each([
    ['an anchor and alias', 'a: &x {b: 1}\nc: *x\n'],
    ['a tag', 'a: !!str 12\n'],
    ['a local tag', 'a: !custom x\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a byte order mark', '\uFEFFa: 1\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a syntax error', 'a: [1, 2\nb: 3\n---\nc: 4\n'],
    ['an alias without anchor', 'a: *nothing\n'],
    ['a comment-only file', '# nothing here\n'],
    ['a root block scalar', '--- |\n  text\n'],
    ['a merge of a non-mapping', 'a:\n  <<: 3\n'],
    ['a flow mapping as a key (a template placeholder)', 'with:\n  python-version: {{cookiecutter.python_version}}\n'],
    ['a flow sequence as a key', '[a, b]: 1\n'],
    ['a flow mapping as a key in a flow mapping', '{x: 1, {a: 1}: 2}\n'],
    ['a collection as a key after a comment', '{ # why\n  [a] }\n'],
    ['a collection as a key after a quoted `#`', '{ "x #y", {a} }\n'],
    ['an explicit collection key', '? [a]\n: 1\n'],
  ])('hands %s to the event parser, with the same result', (_name, text) => {
    expect(parseFast(text)).toBeUndefined();
    expectSameAsEvents(text);
  });

  it.each([
    ['Windows line ends', 'kind: A\r\nmetadata:\r\n  name: a\r\n---\r\nkind: B\r\n'],
    ['escapes in double quotes', 'a: "\\N\\_\\L\\P\\e\\a\\x41\\u263A\\U0001F600\\0\\t"\n'],
    ['prototype-looking keys', '__proto__: {polluted: true}\nconstructor: x\ntoString: y\n'],
    ['tabs and trailing spaces', 'a:\t1   \nb: "x\ty"  \n'],
    ['multi-line plain and quoted scalars', "a: one\n  two\n\n  three\nb: 'x\n\n  y'\n"],
    ['keep and strip chomping', 'a: |+\n  x\n\nb: >-\n  y\n  z\n'],
  ])('gives the same result as the event parser for %s', (_name, text) => {
    expect(expectSameAsEvents(text)).toBe(true);
  });

  it('checks a file for collection keys in one pass: commas in 200,000 comment lines do not make it quadratic', () => {
    // A regular expression that skipped comments after each comma took time in the square of this.
    const text = `a: 1\n${'# ,\n'.repeat(200_000)}b: 2\n`;
    expect(parseFast(text)?.map((d) => d.value)).toEqual([{ a: 1, b: 2 }]);
  });

  it('merges inline `<<` mappings as the event parser does', () => {
    expect(expectSameAsEvents('a:\n  <<: {x: 1, y: 2}\n  y: 3\n')).toBe(true);
    expect(parseYamlDocuments('a:\n  <<: {x: 1, y: 2}\n  y: 3\n', options)[0]!.value).toEqual({ a: { x: 1, y: 3 } });
  });

  it('resolves plain scalars exactly as the YAML 1.2 core schema of the event parser (5,000 generated scalars)', () => {
    // Characters that make numbers, booleans and nulls, and the near misses between them.
    const alphabet = '0123456789+-.eExXoObB_:aAfFiInNtTuUlLsS~';
    let seed = 0x5eed;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed;
    };
    const scalars = new Set<string>([
      '0b101',
      '-.5',
      '.5',
      '+.5',
      '0o17',
      '-0o17',
      '0x1F',
      '+0x1F',
      '1_000',
      '1e3',
      '1E+3',
      '.inf',
      '-.Inf',
      '.NaN',
      'TRUE',
      'True',
      'yes',
      'Null',
      '~',
      '012',
      '-0',
      '1:20',
      '0.',
    ]);
    while (scalars.size < 5000) {
      const length = 1 + (next() % 6);
      let s = '';
      for (let i = 0; i < length; i++) s += alphabet[next() % alphabet.length];
      scalars.add(s);
    }
    let fast = 0;
    const list = [...scalars];
    // 50 scalars per document keeps the comparison per scalar while parsing fewer files.
    for (let i = 0; i < list.length; i += 50) {
      const text = list
        .slice(i, i + 50)
        .map((s, j) => `k${j}: ${s}`)
        .join('\n');
      if (expectSameAsEvents(text)) fast++;
      else {
        // A chunk that fell back (a scalar the loader refuses): compare each scalar alone.
        for (const s of list.slice(i, i + 50)) expectSameAsEvents(`k: ${s}\n`);
      }
      // The same scalars as keys (turned into strings, or refused as duplicates, alike).
      for (const s of list.slice(i, i + 50)) expectSameAsEvents(`${s}: v\n`);
    }
    expect(fast).toBeGreaterThan(0);
  });

  it('gives the same documents as the event parser for every catalog example', () => {
    const files = yamlFiles(path.join(repoRoot, 'catalog-examples'));
    expect(files.length).toBeGreaterThan(10);
    let fast = 0;
    for (const file of files) if (expectSameAsEvents(readFileSync(file, 'utf8'))) fast++;
    expect(fast).toBeGreaterThan(files.length / 2);
  });

  describe.skipIf(!existsSync(sharedCorpus))('real-world files in ../shared/corpus (skipped without ../shared)', () => {
    it('gives the same documents as the event parser for every YAML file', () => {
      const files = yamlFiles(sharedCorpus);
      expect(files.length).toBeGreaterThan(50);
      let fast = 0;
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        try {
          if (expectSameAsEvents(text)) fast++;
        } catch (e) {
          throw new Error(`${path.relative(sharedCorpus, file)}: ${(e as Error).message}`);
        }
      }
      expect(fast).toBeGreaterThan(0);
    });
  });
});
