import { definePermission, type PermissionDefinition } from '@atrium/backend-plugin-api';
import { AUDIT_LOG_READ_PERMISSION } from '../common/audit.js';

/** The permissions the system plugin's routes check. */
export const systemPermissions: readonly PermissionDefinition[] = [
  definePermission({ name: 'system.info.read', action: 'read', description: 'Read the host status: version, database, plugins and jobs.' }),
  definePermission({ name: AUDIT_LOG_READ_PERMISSION, action: 'read', description: 'Read and export the audit log.' }),
];
