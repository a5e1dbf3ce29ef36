/** The work-order lifecycle: states, actions and the pure decision over them. */
export * from './states.js';
export * from './actions.js';
export * from './lifecycle.js';
