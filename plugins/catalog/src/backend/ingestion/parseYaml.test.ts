import { describe, expect, it } from 'vitest';
import { parseFieldPath, parseYamlDocuments } from './parseYaml.js';

const parse = (text: string, aliasBudget = 100_000) => parseYamlDocuments(text, { aliasBudget });

describe('parseYamlDocuments', () => {
  it('parses several documents and knows the line each starts on', () => {
    const docs = parse(`# leading comment
apiVersion: v1
kind: A
---
# comment inside the second document

kind: B
--- {kind: C}
---
- x
`);
    expect(docs.map((d) => d.value)).toEqual([{ apiVersion: 'v1', kind: 'A' }, { kind: 'B' }, { kind: 'C' }, ['x']]);
    expect(docs.map((d) => [d.start.line, d.start.column])).toEqual([
      [2, 1],
      [7, 1],
      [8, 5],
      [10, 1],
    ]);
  });

  it('marks empty documents so they can be skipped', () => {
    const docs = parse('---\n---\n# only a comment\n---\nnull\n');
    expect(docs.map((d) => d.empty)).toEqual([true, true, false]);
    expect(docs[2]?.value).toBeNull();
    expect(parse('')).toEqual([]);
  });

  it('reports a syntax error with its line and column and keeps the other documents', () => {
    const docs = parse(`kind: A
---
kind: B
spec: [1, 2
  oops: here
---
kind: C
`);
    expect(docs[0]?.value).toEqual({ kind: 'A' });
    expect(docs[1]?.problem).toMatchObject({ kind: 'yaml', line: 5, column: 7 });
    expect(docs[1]?.problem?.message).toMatch(/line 5, column 7/);
    expect(docs[2]?.value).toEqual({ kind: 'C' });
    expect(docs[2]?.start.line).toBe(7);
  });

  it('keeps documents after "..." end markers when recovering from a syntax error', () => {
    const docs = parse('kind: A\n...\nkind: B\n---\nbad: [\n');
    expect(docs.map((d) => d.value ?? d.problem?.kind)).toEqual([{ kind: 'A' }, { kind: 'B' }, 'yaml']);
    expect(docs[1]?.start.line).toBe(3);
  });

  it('reports duplicate keys on their document only', () => {
    const docs = parse('kind: A\nkind: B\n---\nkind: C\n');
    expect(docs[0]?.problem?.message).toMatch(/duplicated mapping key.*line 2/);
    expect(docs[1]?.value).toEqual({ kind: 'C' });
  });

  it('refuses a billion-laughs document quickly, without expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${new Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const bomb = `${levels.join('\n')}\n---\nkind: Fine\n`;
    const started = Date.now();
    const docs = parse(bomb);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(docs[0]?.problem?.kind).toBe('security');
    expect(docs[0]?.problem?.message).toMatch(/billion laughs/);
    expect(docs[1]?.value).toEqual({ kind: 'Fine' });
  });

  it('allows modest alias use', () => {
    const docs = parse('base: &b {owner: team-a, lifecycle: production}\nspec:\n  <<: *b\n  type: service\n', 100);
    expect(docs[0]?.value).toEqual({
      base: { owner: 'team-a', lifecycle: 'production' },
      spec: { owner: 'team-a', lifecycle: 'production', type: 'service' },
    });
  });

  it('uses a safe schema: no code-running tags, core scalars only', () => {
    const docs = parse('a: !!js/function "function () {}"\n');
    expect(docs[0]?.problem?.kind).toBe('yaml');
    expect(parse('on: yes\nn: 012\nd: 2024-01-01\n')[0]?.value).toEqual({ on: 'yes', n: 12, d: '2024-01-01' });
  });

  it('locates field paths, falling back to the nearest existing parent', () => {
    const [doc] = parse(`apiVersion: v1
kind: Component
metadata:
  name: x
  annotations:
    "backstage.io/techdocs-ref": dir:.
  tags:
    - ok
    - Not_OK
spec:
  type: service
`);
    expect(doc!.locate('metadata.tags[1]')).toEqual({ line: 9, column: 7 });
    expect(doc!.locate('metadata.annotations["backstage.io/techdocs-ref"]')).toEqual({ line: 6, column: 5 });
    expect(doc!.locate('spec.owner')).toEqual({ line: 10, column: 1 });
    expect(doc!.locate('')).toEqual({ line: 1, column: 1 });
  });

  it('strips a byte order mark without shifting columns', () => {
    const [doc] = parse('\ufeffkind: A\n');
    expect(doc?.value).toEqual({ kind: 'A' });
  });
});

describe('parseFieldPath', () => {
  it('splits dotted, indexed and quoted segments', () => {
    expect(parseFieldPath('spec.dependsOn[2]')).toEqual(['spec', 'dependsOn', 2]);
    expect(parseFieldPath('metadata.labels["a.b/c"].x')).toEqual(['metadata', 'labels', 'a.b/c', 'x']);
  });
});
