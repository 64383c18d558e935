export type { EntityLike, EntityRelationLike, EntityPredicate } from './entity';
export type {
  ComponentLoader,
  ExtensionContent,
  RouteExtension,
  NavExtension,
  EntityTabExtension,
  EntityCardExtension,
  EntityActionExtension,
  EntityActionLink,
  HomeWidgetExtension,
  HomeWidgetSize,
} from './extensions';
export { definePlugin, type FrontendPlugin, type FrontendPluginOptions } from './definePlugin';
export { createExtensionRegistry, type ExtensionRegistry, type Contributed } from './registry';
export { ExtensionRegistryProvider, useExtensions } from './ExtensionRegistryContext';
export { ExtensionElement } from './ExtensionElement';
export { EntityProvider, useEntity } from './EntityContext';
export { filterForEntity } from './entityExtensions';
export { apiFetch, buildApiUrl, API_BASE_PATH, type ApiFetchInit, type QueryValue } from './apiFetch';
export { ApiError, isApiError, isApiErrorBody, type ApiErrorBody } from './ApiError';
export { useCurrentUser, isSignedIn, CURRENT_USER_QUERY_KEY, type CurrentUser } from './currentUser';
export { usePermission, usePermissions, permissionDeniedText, PERMISSIONS_QUERY_KEY, type PermissionResult } from './usePermission';
export { createAuthorizeBatcher, AUTHORIZE_BATCH_LIMIT, type PermissionCheck, type PermissionDecisionView } from './authorizeBatcher';
