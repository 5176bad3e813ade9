import { Flags } from '@oclif/core';

/** Flags every `mirror fleet` command takes. */
export const fleetFlags = {
  file: Flags.string({ summary: 'Fleet file to use instead of .mirror/fleet.yml.' }),
  policy: Flags.string({ summary: 'Policy file to use instead of .mirror/policy.yml (it classes origin).' }),
  cwd: Flags.string({ char: 'C', summary: 'Run as if started in this directory.' }),
};
