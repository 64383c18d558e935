export * from './types.js';
export * from './levels.js';
