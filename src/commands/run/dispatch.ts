import { Args, Flags } from '@oclif/core';
import type { DispatchResult } from '../../app/run/dispatch.js';
import { MirrorCommand } from '../../cli/base.js';
import { connectionOf, parseDuration, pollIntervalMs, runConnectionFlags } from '../../cli/run-flags.js';

export default class RunDispatch extends MirrorCommand {
  static override summary = 'Dispatch a workflow_dispatch run with inputs checked against the workflow file.';
  static override description = `Reads the workflow at the ref as pushed (refs/remotes/REMOTE/REF), checks every -f input against on.workflow_dispatch.inputs (unknown names, missing required inputs, a choice outside its options, a boolean or number that is not one: exit 2, nothing dispatched), then dispatches and prints the run's id and URL.

The run is identified from the dispatch answer where the forge gives it (GitHub's return_run_details, Forgejo's return_run_info); otherwise by a correlation id mirror puts in the correlation_id input, which the workflow's run-name shows (mirror init's experiment.yml does). Never by "the newest run".

--matrix FILE dispatches a batch: a YAML list of input sets (-f values are shared). Runs and batches are recorded with their inputs in .git/mirror/runs/. A public repository is refused unless --allow-public.`;
  static override examples = [
    '<%= config.bin %> run dispatch experiment -f run_name=lr-sweep -f dataset=sample -f parameters="--lr 0.1"',
    '<%= config.bin %> run dispatch experiment.yml --matrix sweep.yml --watch',
    '<%= config.bin %> run dispatch experiment --ref my-branch --json',
  ];
  static override enableJsonFlag = true;
  static override args = { workflow: Args.string({ description: 'workflow file name (experiment or experiment.yml) or path', required: true }) };
  static override flags = {
    field: Flags.string({ char: 'f', summary: 'An input, as key=value (repeatable).', multiple: true, default: [] }),
    ref: Flags.string({ summary: 'Branch or tag to run (default: the repository\'s default branch).' }),
    matrix: Flags.string({ summary: 'A YAML list of input sets: dispatch a batch.' }),
    'allow-public': Flags.boolean({ summary: 'Allow dispatching in a public repository.' }),
    watch: Flags.boolean({ summary: 'Then follow the run(s) to the end, as `mirror run watch` does.' }),
    timeout: Flags.string({ summary: 'With --watch: give up after this long (e.g. 30m); exit 3.' }),
    ...runConnectionFlags,
  };

  async run(): Promise<DispatchResult & { watch?: unknown }> {
    const { args, flags } = await this.parse(RunDispatch);
    const { dispatchRuns } = await import('../../app/run/dispatch.js');
    const connection = connectionOf(flags);
    const result = await dispatchRuns({
      ...connection,
      workflow: args.workflow,
      fields: flags.field,
      ...(flags.ref ? { ref: flags.ref } : {}),
      ...(flags.matrix ? { matrixFile: flags.matrix } : {}),
      allowPublic: flags['allow-public'],
      ...(pollIntervalMs() ? { findIntervalMs: pollIntervalMs() } : {}),
    });
    if (!this.jsonEnabled()) process.stdout.write((await import('../../report/run.js')).renderDispatch(result));
    if (!flags.watch) return result;
    const { followRuns } = await import('../../cli/run-watch.js');
    const ids = (result.batch?.runs ?? [result.run]).map((run) => run.id);
    const watch = await followRuns({ ...connection, ids, ...(flags.timeout ? { timeoutMs: parseDuration(flags.timeout) } : {}) }, this.jsonEnabled());
    process.exitCode = watch.exitCode;
    return { ...result, watch };
  }
}
