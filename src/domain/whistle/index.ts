/** 吹哨报到: whistles, report-ins and their counts. */
export * from './whistle.js';
