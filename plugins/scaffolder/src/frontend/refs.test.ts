import { describe, expect, it } from 'vitest';
import { refOf, templatePath, templateRefOf } from './refs';

describe('entity refs in the scaffolder UI', () => {
  it('writes the canonical ref of an entity: lower case, namespace defaulted', () => {
    expect(refOf({ kind: 'Group', metadata: { name: 'Platform-Team' } })).toBe('group:default/platform-team');
    expect(refOf({ kind: 'Component', metadata: { name: 'Orders', namespace: 'Shop' } })).toBe('component:shop/orders');
  });

  it('reads template refs written in full or short', () => {
    expect(templateRefOf('Template:Ops/Restart')).toBe('template:ops/restart');
    expect(templateRefOf('ops/restart')).toBe('template:ops/restart');
    expect(templateRefOf('restart')).toBe('template:default/restart');
    expect(templateRefOf('template:/x')).toBeUndefined();
  });

  it('gives one form path per template whatever case the ref is written in', () => {
    expect(templatePath('Template:Default/Node-Service')).toBe('/create/templates/default/node-service');
    expect(templatePath('node-service')).toBe('/create/templates/default/node-service');
    expect(templatePath('template:a b/c?d')).toBe('/create/templates/a%20b/c%3Fd');
    expect(templatePath('')).toBeUndefined();
  });
});
