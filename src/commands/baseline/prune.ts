import { Flags } from '@oclif/core';
import type { BaselineResult } from '../../app/baseline/baseline.js';
import { MirrorCommand } from '../../cli/base.js';
import { commonFlags } from '../../cli/sync-flags.js';
import { renderBaseline } from '../../report/baseline.js';

export default class BaselinePrune extends MirrorCommand {
  static override summary = 'Drop the entries of .mirror/baseline.json that no longer occur.';
  static override description = 'Scans as `mirror baseline create` does (files, or the history with --history) and keeps only the entries whose fingerprint is still found.';
  static override examples = ['<%= config.bin %> baseline prune', '<%= config.bin %> baseline prune --history'];
  static override enableJsonFlag = true;
  static override flags = {
    history: Flags.boolean({ summary: 'Scan the whole history instead of the files on disk.' }),
    ...commonFlags,
  };

  async run(): Promise<BaselineResult> {
    const { flags } = await this.parse(BaselinePrune);
    const { pruneBaseline } = await import('../../app/baseline/baseline.js');
    const result = await pruneBaseline({ cwd: flags.cwd ?? process.cwd(), history: flags.history, policyFile: flags.policy });
    if (!this.jsonEnabled()) process.stdout.write(renderBaseline('prune', result));
    return result;
  }
}
