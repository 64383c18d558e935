import { CATALOG_ENTITY_RESOURCE, definePermission, type PermissionDefinition } from '@atrium/backend-plugin-api';

/** The permissions the scorecards routes check. */
export const scorecardsPermissions: readonly PermissionDefinition[] = [
  definePermission({ name: 'scorecards.read', action: 'read', description: 'Read scorecards, results, history, initiatives and exemptions.' }),
  definePermission({ name: 'scorecards.rule-errors.read', action: 'read', description: 'Read the errors of scorecard rules that failed to evaluate.' }),
  definePermission({ name: 'scorecards.evaluate', action: 'update', description: 'Start an evaluation of every scorecard now.' }),
  definePermission({
    name: 'scorecards.exemption.request',
    action: 'create',
    resourceType: CATALOG_ENTITY_RESOURCE,
    description: 'Request an exemption from a rule for an entity.',
  }),
  definePermission({
    name: 'scorecards.exemption.create',
    action: 'create',
    resourceType: CATALOG_ENTITY_RESOURCE,
    description: 'Grant an exemption for an entity (directly or by approving a request).',
  }),
  definePermission({ name: 'scorecards.exemption.delete', action: 'delete', description: 'Revoke an exemption.' }),
];
