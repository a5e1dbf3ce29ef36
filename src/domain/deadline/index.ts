/** The deadline engine: calendars, policies as data, and pure clocks. No I/O and no clock of its own. */
export * from './calendar.js';
export * from './policy.js';
export * from './clock.js';
