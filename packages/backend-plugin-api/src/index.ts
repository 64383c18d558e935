export * from './errors.js';
export * from './validation.js';
export * from './services.js';
export * from './plugin.js';
