export { integrationsPlugin } from './plugin';
