export * from './types.js';
export * from './local.js';
export * from './forge.js';
export * from './lanes.js';
