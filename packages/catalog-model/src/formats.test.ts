import { describe, expect, it } from 'vitest';
import {
  explainApiVersion,
  explainEntityName,
  explainLabelKey,
  isValidAnnotationKey,
  isValidAnnotationValue,
  isValidApiVersion,
  isValidDnsSubdomain,
  isValidEntityName,
  isValidKind,
  isValidLabelKey,
  isValidLabelValue,
  isValidNamespace,
  isValidTag,
  isValidUrl,
} from './formats.js';

const a = (n: number) => 'a'.repeat(n);

describe('entity name', () => {
  it.each([
    ['a', true],
    [a(63), true],
    [a(64), false],
    ['', false],
    ['my-service', true],
    ['My_Service.v2', true],
    ['a-b_c.d', true],
    ['a--b', true],
    ['-ab', false],
    ['ab-', false],
    ['_ab', false],
    ['ab.', false],
    ['a b', false],
    ['a/b', false],
    ['a:b', false],
    ['${{ values.name }}', false],
  ])('%j → %s', (value, ok) => {
    expect(isValidEntityName(value)).toBe(ok);
  });

  it('rejects non-strings', () => {
    expect(isValidEntityName(7)).toBe(false);
    expect(isValidEntityName(null)).toBe(false);
  });

  it('explains what is wrong', () => {
    expect(explainEntityName('')).toBe('must not be empty');
    expect(explainEntityName(a(64))).toBe('must be at most 63 characters long, but is 64');
    expect(explainEntityName('a b')).toMatch(/^must be sequences of \[a-zA-Z0-9\]/);
  });
});

describe('namespace (DNS label)', () => {
  it.each([
    ['default', true],
    ['team-a', true],
    ['a--b', true],
    [a(63), true],
    [a(64), false],
    ['', false],
    ['Default', false],
    ['-a', false],
    ['a-', false],
    ['a_b', false],
    ['a.b', false],
  ])('%j → %s', (value, ok) => {
    expect(isValidNamespace(value)).toBe(ok);
  });
});

describe('kind', () => {
  it.each([
    ['Component', true],
    ['API', true],
    ['component', true],
    ['K8sCluster', true],
    [`A${a(62)}`, true],
    [`A${a(63)}`, false],
    ['', false],
    ['1Component', false],
    ['My-Kind', false],
    ['Enonic app', false],
  ])('%j → %s', (value, ok) => {
    expect(isValidKind(value)).toBe(ok);
  });
});

describe('apiVersion', () => {
  it.each([
    ['backstage.io/v1alpha1', true],
    ['scaffolder.backstage.io/v1beta3', true],
    ['v1', true],
    [`example.com/${a(63)}`, true],
    [`example.com/${a(64)}`, false],
    ['backstage.io/', false],
    ['/v1', false],
    ['Backstage.io/v1', false],
    ['a/b/c', false],
    ['example.com/v1-beta', false],
  ])('%j → %s', (value, ok) => {
    expect(isValidApiVersion(value)).toBe(ok);
  });

  it('names the part that is wrong', () => {
    expect(explainApiVersion('Backstage.io/v1')).toMatch(/^has an invalid prefix "Backstage.io"/);
    expect(explainApiVersion('backstage.io/v1-x')).toMatch(/^has an invalid version "v1-x"/);
  });
});

describe('DNS subdomain', () => {
  it.each([
    ['example.com', true],
    ['a.b-c.d', true],
    [`${a(63)}.${a(63)}.${a(63)}.${a(61)}`, true], // 253 characters
    [`${a(63)}.${a(63)}.${a(63)}.${a(62)}`, false], // 254 characters
    [`x.${a(64)}.y`, false],
    ['a..b', false],
    ['-a.b', false],
    ['A.b', false],
  ])('%j → %s', (value, ok) => {
    expect(isValidDnsSubdomain(value)).toBe(ok);
  });
});

describe('label and annotation keys', () => {
  it.each([
    ['team', true],
    ['example.com/team', true],
    ['backstage.io/techdocs-ref', true],
    ['github.com/project-slug', true],
    [`example.com/${a(63)}`, true],
    [`example.com/${a(64)}`, false],
    [`${a(63)}.${a(63)}.${a(63)}.${a(61)}/name`, true],
    [`${a(63)}.${a(63)}.${a(63)}.${a(62)}/name`, false],
    ['', false],
    ['example.com/', false],
    ['/name', false],
    ['a/b/c', false],
    ['Example.com/team', false],
    ['example.com/-team', false],
  ])('%j → %s', (value, ok) => {
    expect(isValidLabelKey(value)).toBe(ok);
    expect(isValidAnnotationKey(value)).toBe(ok);
  });

  it('explains a bad prefix and a bad name', () => {
    expect(explainLabelKey('a/b/c')).toBe('must contain at most one "/" (an optional prefix, then a name)');
    expect(explainLabelKey('Example.com/team')).toMatch(/^has an invalid prefix "Example.com": it must be a DNS subdomain/);
    expect(explainLabelKey('example.com/-x')).toMatch(/^has an invalid name "-x": it must be sequences/);
  });
});

describe('label and annotation values', () => {
  it('label values are empty or follow the name rule', () => {
    expect(isValidLabelValue('')).toBe(true);
    expect(isValidLabelValue('prod')).toBe(true);
    expect(isValidLabelValue(a(63))).toBe(true);
    expect(isValidLabelValue(a(64))).toBe(false);
    expect(isValidLabelValue('two words')).toBe(false);
  });

  it('annotation values are any string, of any length', () => {
    expect(isValidAnnotationValue('')).toBe(true);
    expect(isValidAnnotationValue('x'.repeat(10_000))).toBe(true);
    expect(isValidAnnotationValue('url:https://example.com/a b')).toBe(true);
    expect(isValidAnnotationValue(true)).toBe(false);
    expect(isValidAnnotationValue(null)).toBe(false);
  });
});

describe('tag', () => {
  it.each([
    ['java', true],
    ['c++', true],
    ['c#', true],
    ['lang:go', true],
    ['my-tag', true],
    [a(63), true],
    [a(64), false],
    ['', false],
    ['Java', false],
    ['my--tag', false],
    ['-tag', false],
    ['tag-', false],
    ['my_tag', false],
    ['my.tag', false],
    ['two words', false],
  ])('%j → %s', (value, ok) => {
    expect(isValidTag(value)).toBe(ok);
  });
});

describe('url', () => {
  it.each([
    ['https://example.com', true],
    ['http://localhost:3000/x?y=1#z', true],
    ['xyz://custom-protocol:4444/path', true],
    ['example.com', false],
    ['/relative/path', false],
    ['', false],
  ])('%j → %s', (value, ok) => {
    expect(isValidUrl(value)).toBe(ok);
  });
});
