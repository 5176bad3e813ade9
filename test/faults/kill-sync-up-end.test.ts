import { describeKillsAt } from './sync-up-rounds.js';

/** sync-up killed after each step's work, before it is recorded: the hardest moment to recover from. */
describeKillsAt('end');
