import { Flags } from '@oclif/core';
import type { BaselineResult } from '../../app/baseline/baseline.js';
import { MirrorCommand } from '../../cli/base.js';
import { commonFlags } from '../../cli/sync-flags.js';
import { renderBaseline } from '../../report/baseline.js';

export default class BaselineImport extends MirrorCommand {
  static override summary = 'Add to .mirror/baseline.json what gitleaks reported or was told to ignore.';
  static override description =
    'Reads a gitleaks JSON report (--gitleaks-report) and/or a .gitleaksignore (--gitleaks-ignore), scans (the history when any entry names a commit, else the files), and accepts each mirror finding at the same path and line (and commit, when both know it). Rule ids differ between the tools, so matching is by place; the entries are mirror fingerprints. Entries gitleaks had that mirror finds nothing at are counted as unmatched.';
  static override examples = ['<%= config.bin %> baseline import --gitleaks-report gitleaks.json', '<%= config.bin %> baseline import --gitleaks-ignore .gitleaksignore'];
  static override enableJsonFlag = true;
  static override flags = {
    'gitleaks-report': Flags.string({ summary: 'A gitleaks JSON report.' }),
    'gitleaks-ignore': Flags.string({ summary: 'A .gitleaksignore file of gitleaks fingerprints.' }),
    history: Flags.boolean({ summary: 'Scan the whole history even when no entry names a commit.' }),
    ...commonFlags,
  };

  async run(): Promise<BaselineResult> {
    const { flags } = await this.parse(BaselineImport);
    const { importBaseline } = await import('../../app/baseline/baseline.js');
    const result = await importBaseline({
      cwd: flags.cwd ?? process.cwd(),
      gitleaksReport: flags['gitleaks-report'],
      gitleaksIgnore: flags['gitleaks-ignore'],
      history: flags.history || undefined,
      policyFile: flags.policy,
    });
    if (!this.jsonEnabled()) process.stdout.write(renderBaseline('import', result));
    return result;
  }
}
