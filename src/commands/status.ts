import { mirrorStatus, type MirrorStatus } from '../app/sync/status.js';
import { MirrorCommand } from '../cli/base.js';
import { commonFlags } from '../cli/sync-flags.js';
import { renderStatus } from '../report/sync.js';

export default class Status extends MirrorCommand {
  static override summary = 'Where the mirror stands: ahead/behind upstream, commits waiting to go up by class, any paused run.';
  static override enableJsonFlag = true;
  static override flags = commonFlags;

  async run(): Promise<MirrorStatus> {
    const { flags } = await this.parse(Status);
    const status = await mirrorStatus({ cwd: flags.cwd ?? process.cwd(), policyFile: flags.policy });
    if (!this.jsonEnabled()) process.stdout.write(renderStatus(status));
    return status;
  }
}
