export { automationsPlugin } from './plugin';
