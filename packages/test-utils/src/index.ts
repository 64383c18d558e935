export * from './postgres.js';
export * from './startTestBackend.js';
