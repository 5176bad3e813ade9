import { Flags } from '@oclif/core';
import type { BaselineResult } from '../../app/baseline/baseline.js';
import { MirrorCommand } from '../../cli/base.js';
import { commonFlags } from '../../cli/sync-flags.js';
import { renderBaseline } from '../../report/baseline.js';

export default class BaselineCreate extends MirrorCommand {
  static override summary = 'Accept today\'s secret findings in .mirror/baseline.json, so scans and the guard report only new ones.';
  static override description =
    'Scans the work tree\'s files (or, with --history, every blob and message of every ref) and records each finding\'s fingerprint (rule and secret hashed, never the secret), rule and location. Scans and the guard then ignore those findings and say how many they suppressed. Existing entries are kept; run `mirror baseline prune` to drop those that no longer occur.';
  static override examples = ['<%= config.bin %> baseline create', '<%= config.bin %> baseline create --history'];
  static override enableJsonFlag = true;
  static override flags = {
    history: Flags.boolean({ summary: 'Scan the whole history instead of the files on disk.' }),
    ...commonFlags,
  };

  async run(): Promise<BaselineResult> {
    const { flags } = await this.parse(BaselineCreate);
    const { createBaseline } = await import('../../app/baseline/baseline.js');
    const result = await createBaseline({ cwd: flags.cwd ?? process.cwd(), history: flags.history, policyFile: flags.policy });
    if (!this.jsonEnabled()) process.stdout.write(renderBaseline('create', result));
    return result;
  }
}
