export { systemPlugin } from './plugin';
