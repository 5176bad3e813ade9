import { describeKillsAt } from './sync-up-rounds.js';

/** sync-up killed at each step's begin point (recorded as begun, nothing done yet): see kill-points.ts. */
describeKillsAt('begin');
