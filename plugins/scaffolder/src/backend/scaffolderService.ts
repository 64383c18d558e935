import { createServiceRef } from '@atrium/backend-plugin-api';
import type { ScaffolderActionsService } from './actions/types.js';

/** Plugins add scaffolder actions through this service: `deps: { scaffolder: scaffolderActionsRef }`. */
export const scaffolderActionsRef = createServiceRef<ScaffolderActionsService>('scaffolder.actions');
