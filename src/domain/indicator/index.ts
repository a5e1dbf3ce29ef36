/** 指标体系: definitions, thresholds and evaluation of the city-operations indicators (pure). */
export * from './definition.js';
export * from './thresholds.js';
export * from './evaluate.js';
