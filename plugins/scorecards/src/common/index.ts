export * from './types.js';
export * from './levels.js';
export * from './status.js';
export * from './notificationTopics.js';
