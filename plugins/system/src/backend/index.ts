export { systemPlugin } from './plugin.js';
export { eventsPlugin, visibleFeedEvents, type FeedEvent } from './events/eventsPlugin.js';
