export { catalogPlugin } from './plugin.js';
