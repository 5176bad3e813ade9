import { Flags } from '@oclif/core';
import { uninstallHooks } from '../../app/hooks/install.js';
import { MirrorCommand } from '../../cli/base.js';
import { renderHooks } from '../../report/hooks.js';

export default class HookUninstall extends MirrorCommand {
  static override summary = 'Remove mirror\'s hooks, restoring any hook they had chained.';
  static override enableJsonFlag = true;
  static override flags = { cwd: Flags.string({ char: 'C', summary: 'Run as if started in this directory.' }) };

  async run() {
    const { flags } = await this.parse(HookUninstall);
    const result = await uninstallHooks({ cwd: flags.cwd ?? process.cwd(), hooks: ['pre-push', 'pre-commit'] });
    if (!this.jsonEnabled()) process.stdout.write(renderHooks(result));
    return result;
  }
}
