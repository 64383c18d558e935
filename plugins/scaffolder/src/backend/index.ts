export { scaffolderPlugin } from './plugin.js';
export { scaffolderActionsRef } from './scaffolderService.js';
export { createTemplateAction } from './actions/types.js';
export type { ActionContext, ScaffolderActionsService, StepLogger, TemplateAction } from './actions/types.js';
export { createTemplateSearchCollator } from './search/collator.js';
