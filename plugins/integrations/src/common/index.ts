export * from './types.js';
export * from './events.js';
