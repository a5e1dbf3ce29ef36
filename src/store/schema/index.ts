export * from './units.js';
export * from './identity.js';
