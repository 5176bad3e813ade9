import { Flags } from '@oclif/core';
import { syncUp, type SyncUpResult } from '../app/sync/sync-up.js';
import { MirrorCommand } from '../cli/base.js';
import { commonFlags, forgeFlags } from '../cli/sync-flags.js';
import { exitCodeForSyncUp } from '../cli/sync-exit.js';
import { renderSyncUp } from '../report/sync.js';

export default class SyncUp extends MirrorCommand {
  static override summary = 'Propose the mirror\'s public work upstream: a clean branch off upstream/main, guarded, pushed, with a pull request.';
  static override description =
    'Classifies each non-merge commit of upstream/main..main (public, private, mixed, blocked, already upstream), replays the public ones (and the public part of mixed ones) without touching your checkout (by fast-import, or in a temporary worktree where a content merge is needed), checks the branch with the same guard as the pre-push hook, pushes it and opens or updates the pull request. Your checkout, index and files are never touched. Exit 3 when a commit no longer applies: resolve in the worktree shown, then `mirror continue` (or `skip`, `abort`).';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> sync-up --dry-run', '<%= config.bin %> sync-up', '<%= config.bin %> sync-up --push-remote fork --branch fix-parser'];
  static override flags = {
    ...commonFlags,
    ...forgeFlags,
    'dry-run': Flags.boolean({ summary: 'Print the plan and change nothing.' }),
    pr: Flags.boolean({ summary: 'Open or update the pull request after pushing.', default: true, allowNo: true }),
    split: Flags.boolean({ summary: 'Replay the public paths of mixed commits.', default: true, allowNo: true }),
    fetch: Flags.boolean({ summary: 'Fetch upstream first.', default: true, allowNo: true }),
    branch: Flags.string({
      summary: 'Name of the branch to build and push [default: mirror/sync-up]. A name carrying a private identifier or a secret is refused.',
    }),
    'push-remote': Flags.string({ summary: 'Push to this remote (a public fork) instead of upstream.' }),
    skip: Flags.string({ summary: 'Leave this commit out, now and in later runs (repeatable).', multiple: true }),
    'squash-fixed': Flags.boolean({ summary: 'Publish a blocked commit and the next one, when it removes what blocked it, as one commit (their net change, checked as a whole).' }),
    'retry-skipped': Flags.boolean({ summary: 'Propose again the commits earlier runs left out with `mirror skip` or --skip.' }),
  };

  async run(): Promise<SyncUpResult> {
    const { flags } = await this.parse(SyncUp);
    const cwd = flags.cwd ?? process.cwd();
    const result = await syncUp({
      cwd,
      policyFile: flags.policy,
      branch: flags.branch,
      pushRemote: flags['push-remote'],
      split: flags.split,
      pullRequest: flags.pr,
      dryRun: flags['dry-run'],
      fetch: flags.fetch,
      apiUrl: flags['api-url'],
      forge: flags.forge as 'github' | 'forgejo' | undefined,
      skip: flags.skip,
      retrySkipped: flags['retry-skipped'],
      squashFixed: flags['squash-fixed'],
    });
    if (!this.jsonEnabled()) process.stdout.write(renderSyncUp(result, cwd));
    process.exitCode = exitCodeForSyncUp(result);
    return result;
  }
}
