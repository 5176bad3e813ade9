export * from './types.js';
export * from './local.js';
export * from './forge.js';
export * from './lanes.js';
export * from './hook-workflow.js';
