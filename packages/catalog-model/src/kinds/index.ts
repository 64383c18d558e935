import type { KindDefinition } from '../kindDefinition.js';
import { apiKind } from './api.js';
import { componentKind } from './component.js';
import { domainKind } from './domain.js';
import { groupKind } from './group.js';
import { locationKind } from './location.js';
import { resourceKind } from './resource.js';
import { systemKind } from './system.js';
import { templateKind } from './template.js';
import { userKind } from './user.js';

/** Every kind Atrium knows without configuration. */
export const BUILTIN_KINDS: readonly KindDefinition[] = [
  componentKind,
  apiKind,
  resourceKind,
  systemKind,
  domainKind,
  groupKind,
  userKind,
  locationKind,
  templateKind,
];

export { apiKind, componentKind, domainKind, groupKind, locationKind, resourceKind, systemKind, templateKind, userKind };
export type { ApiEntity, ApiSpec } from './api.js';
export type { ComponentEntity, ComponentSpec } from './component.js';
export type { DomainEntity, DomainSpec } from './domain.js';
export type { EntityProfile, GroupEntity, GroupSpec } from './group.js';
export type { LocationEntity, LocationSpec } from './location.js';
export type { ResourceEntity, ResourceSpec } from './resource.js';
export type { SystemEntity, SystemSpec } from './system.js';
export type { TemplateEntity, TemplateSpec, TemplateStep } from './template.js';
export { BACKSTAGE_API_VERSIONS } from './shared.js';
export type { UserEntity, UserSpec } from './user.js';
