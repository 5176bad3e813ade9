import { Flags } from '@oclif/core';
import type { Comparison } from '../../core/run/compare.js';
import { MirrorCommand } from '../../cli/base.js';
import { batchFlags, connectionOf, runConnectionFlags, runIds } from '../../cli/run-flags.js';

export default class RunCompare extends MirrorCommand {
  static override summary = "Runs side by side: their inputs and the metrics in each run's results/metrics.json.";
  static override description = 'Reads metrics.json from each run\'s artifacts (in memory, nothing written); nested objects are flattened with dots. A run without metrics is listed with the reason. --format markdown for a pull request or a notebook.';
  static override examples = ['<%= config.bin %> run compare 101 102 103', '<%= config.bin %> run compare --all --format markdown'];
  static override enableJsonFlag = true;
  static override strict = false;
  static override flags = {
    format: Flags.string({ summary: 'Output format (--json for JSON).', options: ['table', 'markdown'], default: 'table' }),
    ...batchFlags,
    ...runConnectionFlags,
  };

  async run(): Promise<Comparison> {
    const { argv, flags } = await this.parse(RunCompare);
    const ids = runIds(argv, true, flags.all || flags.batch !== undefined);
    const { compareRunResults } = await import('../../app/run/list.js');
    const comparison = await compareRunResults({ ...connectionOf(flags), ids, all: flags.all, ...(flags.batch ? { batch: flags.batch } : {}) });
    if (!this.jsonEnabled()) {
      const { comparisonMarkdown, comparisonTable } = await import('../../core/run/compare.js');
      process.stdout.write(flags.format === 'markdown' ? comparisonMarkdown(comparison) : comparisonTable(comparison));
    }
    return comparison;
  }
}
