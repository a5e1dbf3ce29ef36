export * from './units.js';
export * from './identity.js';
export * from './orders.js';
export * from './assessment.js';
