import { abortRun } from '../app/sync/resume.js';
import { MirrorCommand } from '../cli/base.js';
import { commonFlags } from '../cli/sync-flags.js';

export default class Abort extends MirrorCommand {
  static override summary = 'Undo a paused or interrupted sync-up or sync-down: everything back as before the command.';
  static override enableJsonFlag = true;
  static override flags = commonFlags;

  async run() {
    const { flags } = await this.parse(Abort);
    const result = await abortRun({ cwd: flags.cwd ?? process.cwd() });
    if (!this.jsonEnabled()) process.stdout.write(`✓ ${result.command} aborted: ${result.restored}\n`);
    return result;
  }
}
