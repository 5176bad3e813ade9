import { Flags } from '@oclif/core';

export const forgeFlags = {
  'api-url': Flags.string({ summary: 'Forge API base URL (default: GITHUB_API_URL, else derived from the remote).' }),
  forge: Flags.string({ summary: 'Which forge the remote is on.', options: ['github', 'forgejo'] }),
};

export const commonFlags = {
  policy: Flags.string({ summary: 'Policy file to use instead of .mirror/policy.yml.' }),
  cwd: Flags.string({ char: 'C', summary: 'Run as if started in this directory.' }),
};
