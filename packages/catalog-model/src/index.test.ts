import { describe, expect, it } from 'vitest';
import * as model from './index.js';

describe('public API', () => {
  it('exports the documented entry points', () => {
    for (const name of [
      'createEntityValidator',
      'relationsFromEntity',
      'validateCustomKindDefinition',
      'validateCustomKindDefinitions',
      'parseEntityRef',
      'stringifyEntityRef',
      'normalizeEntityRef',
      'compareEntityRefs',
      'getCompoundEntityRef',
      'applyEntityDefaults',
      'validateEntityFields',
      'entitySchemaForKind',
      'parseLocationRef',
      'stringifyLocationRef',
      'inverseRelationOf',
    ]) {
      expect(typeof (model as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(model.BUILTIN_KINDS.map((k) => k.kind)).toEqual(['Component', 'API', 'Resource', 'System', 'Domain', 'Group', 'User', 'Location', 'Template']);
    expect(model.DEFAULT_NAMESPACE).toBe('default');
  });
});
