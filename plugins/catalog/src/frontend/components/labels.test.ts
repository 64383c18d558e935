import { describe, expect, it } from 'vitest';
import { countLabel, kindNoun, pluralKind } from './kindLabels';
import { entityDisplayName, relationTargets } from './entityDisplay';
import { initialsOf, profileOf } from '../org/profile';

describe('kind labels', () => {
  it('pluralizes kinds as the catalog writes them', () => {
    expect(pluralKind('Component')).toBe('components');
    expect(pluralKind('API')).toBe('APIs');
    expect(pluralKind('Policy')).toBe('policies');
    expect(pluralKind('Gateway')).toBe('gateways');
    expect(pluralKind('Class')).toBe('classes');
    expect(pluralKind('entity')).toBe('entities');
  });

  it('counts', () => {
    expect(countLabel(1, 'Component')).toBe('1 component');
    expect(countLabel(12345, 'API')).toBe('12,345 APIs');
    expect(kindNoun(1, 'System')).toBe('system');
  });
});

describe('entity display', () => {
  it('prefers the title, then a profile display name, then the name', () => {
    expect(entityDisplayName({ metadata: { name: 'a', title: 'A' } })).toBe('A');
    expect(entityDisplayName({ metadata: { name: 'jdoe' }, spec: { profile: { displayName: 'Jane Doe' } } })).toBe('Jane Doe');
    expect(entityDisplayName({ metadata: { name: 'jdoe' }, spec: { profile: { displayName: '' } } })).toBe('jdoe');
  });

  it('finds relation targets case-insensitively by type', () => {
    expect(
      relationTargets(
        {
          relations: [
            { type: 'ownedBy', targetRef: 'group:default/a' },
            { type: 'partOf', targetRef: 'system:default/s' },
          ],
        },
        'ownedby',
      ),
    ).toEqual(['group:default/a']);
  });
});

describe('profiles', () => {
  it('keeps only web pictures', () => {
    expect(profileOf({ spec: { profile: { picture: 'javascript:alert(1)', email: 'a@b.c' } } })).toEqual({ email: 'a@b.c' });
    expect(profileOf({ spec: { profile: { picture: 'https://x/p.png' } } })).toEqual({ picture: 'https://x/p.png' });
    expect(profileOf(null)).toEqual({});
  });

  it('makes initials', () => {
    expect(initialsOf('Amara Okafor')).toBe('AO');
    expect(initialsOf('jonas.becker')).toBe('JB');
    expect(initialsOf('x')).toBe('X');
  });
});
