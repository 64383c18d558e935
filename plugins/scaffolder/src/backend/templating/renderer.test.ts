import { describe, expect, it } from 'vitest';
import { TemplateRenderer, TemplateSandboxError, TemplateTooExpensiveError } from './renderer.js';

const ctx = {
  parameters: { name: 'svc', repoUrl: 'github.com?owner=acme&repo=svc', tags: ['a', 'b'], on: true, owner: 'group:default/team-a' },
  steps: { publish: { output: { remoteUrl: 'file:///tmp/x.git' } } },
};

describe('TemplateRenderer', () => {
  const r = new TemplateRenderer();

  it('interpolates and keeps the type of single expressions', () => {
    expect(r.renderValue('hello ${{ parameters.name }}', ctx)).toBe('hello svc');
    expect(r.renderValue('${{ parameters.tags }}', ctx)).toEqual(['a', 'b']);
    expect(r.renderValue('${{ parameters.on }}', ctx)).toBe(true);
    expect(r.renderValue('${{ parameters.missing }}', ctx)).toBeUndefined();
    expect(r.renderValue({ a: ['${{ steps.publish.output.remoteUrl }}'] }, ctx)).toEqual({ a: ['file:///tmp/x.git'] });
    expect(r.renderValue("${{ steps['publish'].output.remoteUrl }}", ctx)).toBe('file:///tmp/x.git');
  });

  it('has Backstage filters', () => {
    expect(r.renderValue('${{ parameters.repoUrl | parseRepoUrl }}', ctx)).toEqual({ host: 'github.com', owner: 'acme', repo: 'svc' });
    expect(r.renderValue('${{ (parameters.repoUrl | parseRepoUrl).repo }}', ctx)).toBe('svc');
    expect(r.renderValue('${{ parameters.repoUrl | projectSlug }}', ctx)).toBe('acme/svc');
    expect(r.renderValue('${{ parameters.owner | parseEntityRef }}', ctx)).toEqual({ kind: 'group', namespace: 'default', name: 'team-a' });
    expect(r.renderValue("${{ parameters | pick('name') }}", ctx)).toBe('svc');
    expect(r.renderValue('${{ parameters.name | upper }}', ctx)).toBe('SVC');
    expect(r.renderValue("${{ parameters.name.replace('s', 'S') }}", ctx)).toBe('Svc');
  });

  it.each([
    "${{ ''.constructor.constructor('return process')() }}",
    "${{ ''['constructor']['constructor']('return process')() }}",
    "${{ range.constructor('return process')() }}",
    "${{ cycler.constructor('return globalThis')().process.exit(1) }}",
    '${{ parameters.__proto__ }}',
    "${{ parameters.tags.map.constructor('return process')() }}",
    "${{ joiner()['constructor'] }}",
    '${{ ({}).constructor }}',
    "{% set f = ''.constructor %}${{ f }}",
  ])('refuses sandbox escape %s', (expr) => {
    expect(() => r.renderValue(expr, ctx)).toThrow(TemplateSandboxError);
  });

  it('does not expose process or globals', () => {
    expect(r.renderValue('${{ process }}', ctx)).toBeUndefined();
    expect(r.renderValue('${{ globalThis }}', ctx)).toBeUndefined();
    expect(r.renderValue('${{ require }}', ctx)).toBeUndefined();
  });

  it('bounds range()', () => {
    expect(() => r.renderString('{% for i in range(0, 100000000) %}x{% endfor %}', ctx)).toThrow(/limited/);
  });

  it('supports cookiecutter compat', () => {
    const cc = new TemplateRenderer({ cookiecutterCompat: true });
    expect(cc.renderString('name: {{ cookiecutter.name }} {{ values.name }}', { values: { name: 'x' } })).toBe('name: x x');
  });
});

describe('render budget', () => {
  const r = new TemplateRenderer();
  // The ~200-byte template of the security report: three nested loops, 10^12 iterations.
  const NESTED = '{% for a in range(10000) %}{% for b in range(10000) %}{% for c in range(10000) %}${{ c }}{% endfor %}{% endfor %}{% endfor %}';

  it('stops nested loops with a clear "template too expensive" error', () => {
    expect(() => r.renderString(NESTED, {})).toThrow(TemplateTooExpensiveError);
    expect(() => r.renderValue(NESTED, {})).toThrow(/Template too expensive: rendering took more than 500,000 steps/);
  });

  it('refuses strings that grow past the limit, however they are built', () => {
    expect(() => r.renderString("{% set s = 'xxxxxxxxxxxxxxxx' %}{% for i in range(40) %}{% set s = s + s %}{% endfor %}${{ s | length }}", {})).toThrow(
      /variable "s" would be/,
    );
    expect(() => r.renderValue("${{ 'x'.repeat(1000000000) }}", {})).toThrow(TemplateTooExpensiveError);
    expect(() => r.renderValue("${{ 'x' | indent(1000000000) }}", {})).toThrow(TemplateTooExpensiveError);
    expect(() => r.renderValue("${{ range(10000) | join('" + 'y'.repeat(2000) + "') }}", {})).toThrow(/result of the join filter/);
  });

  it('refuses regular expressions, whose backtracking has no time bound', () => {
    expect(() => r.renderValue("${{ 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.match(r/^(a+)+$/) }}", {})).toThrow(/regular expression/);
    expect(() => r.renderValue("${{ 'aaa' | replace(r/(a+)+b/, 'x') }}", {})).toThrow(/regular expression/);
    expect(() => r.renderValue('${{ r/(a+)+b/.test("aaaa") }}', {})).toThrow(/regular expression/);
  });

  it('leaves ordinary templates alone, each render with its own budget', () => {
    const loop = '{% for i in range(0, 2000) %}${{ i }},{% endfor %}';
    for (let n = 0; n < 20; n++) expect(r.renderString(loop, {}).length).toBeGreaterThan(8000);
    expect(r.renderValue("${{ parameters.name | replace('s', 'S') | upper }}", ctx)).toBe('SVC');
  });
});
