export { scorecardsPlugin } from './plugin';
