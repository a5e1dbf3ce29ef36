/** 考核: the three rates, the composite score, monthly rankings and the citizen's survey link. Pure. */
export * from './policy.js';
export * from './month.js';
export * from './rates.js';
export * from './ranking.js';
export * from './surveyToken.js';
