// @atrium/catalog-model: Backstage's entity model (envelope, kinds, refs, relations,
// annotations) and its validation. No I/O; runs in the browser and on the server.

export * from './entity.js';
export * from './annotations.js';
export * from './relations.js';
export * from './kinds/index.js';
export {
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
export { validateEntityFields } from './metadata.js';
export { ENTITY_OUTPUT_FIELDS, ENTITY_ROOT_FIELDS, entityEnvelopeSchema, entityMetaSchema, type JsonSchema } from './envelopeSchema.js';
export { entitySchemaForKind, type CustomKindDefinition, type KindDefinition, type RelationFieldDefinition } from './kindDefinition.js';
export {
  compareEntityRefs,
  getCompoundEntityRef,
  InvalidEntityRefError,
  normalizeEntityRef,
  parseEntityRef,
  stringifyEntityRef,
  type CompoundEntityRef,
  type EntityRefContext,
  type EntityRefInput,
} from './refs.js';
export { parseLocationRef, stringifyLocationRef, type LocationRef } from './locationRefs.js';
export { relationsFromEntity, type GeneratedRelation, type RelationsResult } from './relationsFromEntity.js';
export { InvalidKindDefinitionError, validateCustomKindDefinition, validateCustomKindDefinitions } from './customKinds.js';
export {
  createEntityValidator,
  type EntityValidationResult,
  type EntityValidator,
  type EntityValidatorOptions,
  type ValidateEntityOptions,
} from './validator.js';
export { applyEntityDefaults } from './defaults.js';
