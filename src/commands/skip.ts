import type { ResumeResult } from '../app/sync/resume.js';
import { MirrorCommand } from '../cli/base.js';
import { resumeAndReport } from '../cli/resume-command.js';
import { commonFlags } from '../cli/sync-flags.js';

export default class Skip extends MirrorCommand {
  static override summary = 'Leave out the commit a paused sync-up (or sync-down --rebase) stopped on, and go on.';
  static override enableJsonFlag = true;
  static override flags = commonFlags;

  async run(): Promise<ResumeResult> {
    const { flags } = await this.parse(Skip);
    return resumeAndReport(flags.cwd ?? process.cwd(), 'skip', this.jsonEnabled(), flags.policy);
  }
}
