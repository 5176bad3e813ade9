import { Flags } from '@oclif/core';
import type { RunSummary } from '../../app/run/list.js';
import { MirrorCommand } from '../../cli/base.js';
import { connectionOf, runConnectionFlags } from '../../cli/run-flags.js';

export default class RunList extends MirrorCommand {
  static override summary = 'Recent runs with their inputs, status, conclusion, runner labels and durations.';
  static override description = 'Inputs are those recorded when mirror dispatched the run (the runs API does not return them). Needs read access to Actions only.';
  static override examples = ['<%= config.bin %> run list', '<%= config.bin %> run list --workflow experiment --limit 5 --json'];
  static override enableJsonFlag = true;
  static override flags = {
    workflow: Flags.string({ char: 'w', summary: 'Only runs of this workflow (file name).' }),
    limit: Flags.integer({ char: 'L', summary: 'How many runs.', default: 10, min: 1, max: 100 }),
    ...runConnectionFlags,
  };

  async run(): Promise<{ runs: RunSummary[] }> {
    const { flags } = await this.parse(RunList);
    const { listRuns } = await import('../../app/run/list.js');
    const result = await listRuns({ ...connectionOf(flags), limit: flags.limit, ...(flags.workflow ? { workflow: flags.workflow } : {}) });
    if (!this.jsonEnabled()) process.stdout.write((await import('../../report/run.js')).renderList(result.runs));
    return result;
  }
}
