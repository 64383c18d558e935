export { scaffolderPlugin } from './plugin';
