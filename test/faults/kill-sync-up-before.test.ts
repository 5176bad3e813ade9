import { describeKillsAt } from './sync-up-rounds.js';

/** sync-up killed at each step's before point (in the saved state, not yet begun): see kill-points.ts. */
describeKillsAt('before');
