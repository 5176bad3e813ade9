import type { ResumeResult } from '../app/sync/resume.js';
import { MirrorCommand } from '../cli/base.js';
import { resumeAndReport } from '../cli/resume-command.js';
import { commonFlags } from '../cli/sync-flags.js';

export default class Continue extends MirrorCommand {
  static override summary = 'Resume a paused (or interrupted) sync-up or sync-down after resolving its conflicts.';
  static override enableJsonFlag = true;
  static override flags = commonFlags;

  async run(): Promise<ResumeResult> {
    const { flags } = await this.parse(Continue);
    return resumeAndReport(flags.cwd ?? process.cwd(), 'resume', this.jsonEnabled(), flags.policy);
  }
}
