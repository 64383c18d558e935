import { CATALOG_ENTITY_RESOURCE, definePermission, type PermissionDefinition } from '@atrium/backend-plugin-api';

/** The permissions the scaffolder routes check. */
export const scaffolderPermissions: readonly PermissionDefinition[] = [
  // Checked once without a target, then with the Template entity: policy conditions (hasTag, isEntityOwner, type…) apply to the template.
  definePermission({
    name: 'scaffolder.task.create',
    action: 'create',
    resourceType: CATALOG_ENTITY_RESOURCE,
    description: 'Run a template (start a task), or retry one; conditions apply to the template.',
  }),
  definePermission({ name: 'scaffolder.task.read', action: 'read', description: 'Read tasks, their logs and events.' }),
  definePermission({ name: 'scaffolder.task.cancel', action: 'update', description: 'Cancel a running task.' }),
  definePermission({
    name: 'scaffolder.task.resume',
    action: 'update',
    description: 'Retry or skip the step a failed task (or one that needs attention) stopped at, or resume it.',
  }),
  definePermission({
    name: 'scaffolder.task.approve',
    action: 'update',
    description: "Approve or reject a task awaiting approval (still only the template's approvers may).",
  }),
  definePermission({ name: 'scaffolder.action.read', action: 'read', description: 'List the installed actions and templating extensions.' }),
  definePermission({ name: 'scaffolder.template.dry-run', action: 'read', description: 'Try a template without side effects (dry run).' }),
];
