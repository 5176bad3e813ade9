import { Flags } from '@oclif/core';
import { syncDown, type SyncDownResult } from '../app/sync/sync-down.js';
import { MirrorCommand } from '../cli/base.js';
import { exitCodeForSyncDown } from '../cli/sync-exit.js';
import { commonFlags, forgeFlags } from '../cli/sync-flags.js';
import { reportOf, resultLine } from '../core/fleet/sync-down.js';
import { renderSyncDown } from '../report/sync.js';

export default class SyncDown extends MirrorCommand {
  static override summary = 'Bring the public upstream into the mirror: fetch, merge upstream/main into main, push.';
  static override description =
    'Refuses a dirty tree or an operation in progress (exit 2, nothing changed). Merges by default (--rebase to rebase). Warns when upstream changes a path inside the private zones. On conflict: exit 3; resolve, then `mirror continue`, or `mirror abort` to restore HEAD, index and files exactly. With --ci, when main is protected, pushes a mirror/sync-down-* branch and opens a pull request in the mirror instead.';
  static override enableJsonFlag = true;
  static override flags = {
    ...commonFlags,
    ...forgeFlags,
    rebase: Flags.boolean({ summary: 'Rebase main onto upstream/main instead of merging (rewrites published mirror history).' }),
    push: Flags.boolean({ summary: 'Push main to the mirror remote afterwards.', default: true, allowNo: true }),
    ci: Flags.boolean({ summary: 'Unattended: on a protected main, push a branch and open a pull request in the mirror.' }),
  };

  async run(): Promise<SyncDownResult> {
    const { flags } = await this.parse(SyncDown);
    const result = await syncDown({
      cwd: flags.cwd ?? process.cwd(),
      policyFile: flags.policy,
      rebase: flags.rebase,
      push: flags.push,
      ci: flags.ci,
      apiUrl: flags['api-url'],
      forge: flags.forge as 'github' | 'forgejo' | undefined,
    });
    if (!this.jsonEnabled()) process.stdout.write(renderSyncDown(result));
    // unattended runs end with one machine-readable line: `mirror fleet sync-down` reads it from the job log
    if (flags.ci && !this.jsonEnabled()) process.stdout.write(`${resultLine(reportOf(result))}\n`);
    process.exitCode = exitCodeForSyncDown(result);
    return result;
  }
}
