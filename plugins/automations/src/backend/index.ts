export { automationsPlugin } from './plugin.js';
export { automationsServiceRef, type AutomationsService, type TriggerRegistration } from './service.js';
export { automationKinds } from './config.js';
export { signBody } from './http.js';
export type * from '../common/index.js';
export { AUTOMATION_PERMISSIONS, BUILTIN_TRIGGERS, AUTOMATION_KIND, AUTOMATION_API_VERSION, AUTOMATION_HOP_HEADER } from '../common/index.js';
