import { Flags } from '@oclif/core';
import type { WatchResult } from '../../app/run/watch.js';
import { MirrorCommand } from '../../cli/base.js';
import { batchFlags, connectionOf, parseDuration, runConnectionFlags, runIds } from '../../cli/run-flags.js';

export default class RunWatch extends MirrorCommand {
  static override summary = 'Follow runs to their end: jobs, steps, elapsed time.';
  static override description = `Live progress on a terminal, plain lines of what changed otherwise. Polls politely: conditional requests (a 304 costs no rate limit), an interval that starts at 5 s and stretches to 30 s while nothing changes, and never faster than the rate limit refills.

Exit 0 when every run succeeded, 1 when one ended as failure, cancelled or timed_out, 3 when --timeout passed first. Needs read access to Actions only.`;
  static override examples = ['<%= config.bin %> run watch 123456', '<%= config.bin %> run watch --all --timeout 2h'];
  static override enableJsonFlag = true;
  static override strict = false;
  static override flags = {
    timeout: Flags.string({ summary: 'Give up after this long (e.g. 90s, 30m, 2h): exit 3.' }),
    ...batchFlags,
    ...runConnectionFlags,
  };

  async run(): Promise<WatchResult> {
    const { argv, flags } = await this.parse(RunWatch);
    const ids = runIds(argv, true, flags.all || flags.batch !== undefined);
    const { followRuns } = await import('../../cli/run-watch.js');
    const result = await followRuns(
      { ...connectionOf(flags), ids, all: flags.all, ...(flags.batch ? { batch: flags.batch } : {}), ...(flags.timeout ? { timeoutMs: parseDuration(flags.timeout) } : {}) },
      this.jsonEnabled(),
    );
    process.exitCode = result.exitCode;
    return result;
  }
}
