import { Flags } from '@oclif/core';
import type { DownloadResult } from '../../app/run/download.js';
import { MirrorCommand } from '../../cli/base.js';
import { batchFlags, connectionOf, runConnectionFlags, runIds } from '../../cli/run-flags.js';

export default class RunDownload extends MirrorCommand {
  static override summary = "Download a run's artifacts, verified, each unpacked under DIR/<artifact>/.";
  static override description = `Checks each artifact's size (and digest where the forge gives one) before writing anything, and unpacks it under DIR/<artifact>/ (default DIR: mirror-runs/<id>; with several runs, DIR/<id>/<artifact>/). The storage the forge redirects to never receives the forge token. An expired artifact is an error (exit 2); a run with no artifacts is exit 1, never a silent success. --logs also writes each job's log under DIR/logs/. Needs read access to Actions only.`;
  static override examples = ['<%= config.bin %> run download 123456 --dir results/', '<%= config.bin %> run download --all --logs'];
  static override enableJsonFlag = true;
  static override strict = false;
  static override flags = {
    dir: Flags.string({ char: 'd', summary: 'Where to unpack (default mirror-runs/<id>).' }),
    name: Flags.string({ char: 'n', summary: 'Only the artifact with this name.' }),
    logs: Flags.boolean({ summary: "Also download each job's log." }),
    ...batchFlags,
    ...runConnectionFlags,
  };

  async run(): Promise<DownloadResult> {
    const { argv, flags } = await this.parse(RunDownload);
    const ids = runIds(argv, true, flags.all || flags.batch !== undefined);
    const { downloadRuns } = await import('../../app/run/download.js');
    const result = await downloadRuns({
      ...connectionOf(flags),
      ids,
      all: flags.all,
      ...(flags.batch ? { batch: flags.batch } : {}),
      ...(flags.dir ? { dir: flags.dir } : {}),
      ...(flags.name ? { name: flags.name } : {}),
      logs: flags.logs,
    });
    if (!this.jsonEnabled()) process.stdout.write((await import('../../report/run.js')).renderDownload(result));
    return result;
  }
}
