import { Flags } from '@oclif/core';
import { installHooks } from '../../app/hooks/install.js';
import { MirrorCommand } from '../../cli/base.js';
import type { HookName } from '../../core/hooks/script.js';
import { renderHooks } from '../../report/hooks.js';

export default class HookInstall extends MirrorCommand {
  static override summary = 'Install the pre-push hook (and optionally pre-commit).';
  static override description =
    'Writes a tiny hook into the directory git runs hooks from (core.hooksPath is respected, so husky and lefthook setups work). An existing hook is kept as <hook>.pre-mirror and called first with the same input. Running it again updates the hook in place.';
  static override enableJsonFlag = true;
  static override flags = {
    'pre-commit': Flags.boolean({ summary: 'Also install a pre-commit hook running `mirror guard staged`.' }),
    cwd: Flags.string({ char: 'C', summary: 'Run as if started in this directory.' }),
  };

  async run() {
    const { flags } = await this.parse(HookInstall);
    const hooks: HookName[] = flags['pre-commit'] ? ['pre-push', 'pre-commit'] : ['pre-push'];
    const result = await installHooks({ cwd: flags.cwd ?? process.cwd(), hooks });
    if (!this.jsonEnabled()) process.stdout.write(renderHooks(result));
    return result;
  }
}
