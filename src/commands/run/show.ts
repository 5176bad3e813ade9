import { Args } from '@oclif/core';
import type { ShowResult } from '../../app/run/list.js';
import { MirrorCommand } from '../../cli/base.js';
import { connectionOf, runConnectionFlags, runIds } from '../../cli/run-flags.js';

export default class RunShow extends MirrorCommand {
  static override summary = 'One run: inputs, status, jobs and steps, runners, durations, artifacts.';
  static override examples = ['<%= config.bin %> run show 123456', '<%= config.bin %> run show 123456 --json'];
  static override enableJsonFlag = true;
  static override args = { id: Args.string({ description: 'run id', required: true }) };
  static override flags = { ...runConnectionFlags };

  async run(): Promise<ShowResult> {
    const { args, flags } = await this.parse(RunShow);
    const [id] = runIds([args.id], true, false);
    const { showRun } = await import('../../app/run/list.js');
    const result = await showRun({ ...connectionOf(flags), id: id! });
    if (!this.jsonEnabled()) process.stdout.write((await import('../../report/run.js')).renderShow(result));
    return result;
  }
}
