export * from './messages.js';
export * from './status.js';
