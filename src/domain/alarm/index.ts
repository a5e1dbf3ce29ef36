export * from './geo.js';
export * from './rules.js';
export * from './lifecycle.js';
export * from './componentClasses.js';
