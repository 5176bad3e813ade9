import { Flags } from '@oclif/core';
import { fleetProposals, type FleetProposals as FleetProposalsResult } from '../../app/fleet/proposals.js';
import { MirrorCommand } from '../../cli/base.js';
import { fleetFlags } from '../../cli/fleet-flags.js';
import { renderFleetProposalsMarkdown, renderFleetProposalsText } from '../../report/fleet-proposals.js';

export default class FleetProposals extends MirrorCommand {
  static override summary = "The upstream's open sync-up pull requests, the same change proposed by several mirrors grouped.";
  static override description =
    "Lists the open pull requests into the upstream branch that `mirror sync-up` opened (its body, or a default sync-up branch name), fetches each head (refs/pull/N/head) into the shared cache and groups those whose change has the same `git patch-id --stable`: merge the oldest of a group, close the others. Each shows the mirrors whose own history carries its commits. Read-only: nothing is merged or closed. Exit 0, 2 on a bad fleet file or a public checkout.";
  static override enableJsonFlag = true;
  static override flags = {
    ...fleetFlags,
    jobs: Flags.integer({ char: 'j', summary: 'Mirrors fetched at once.', default: 4, min: 1, max: 64 }),
    label: Flags.string({ char: 'l', summary: 'Only proposals carried by mirrors with this label (repeat: all of them).', multiple: true }),
    cache: Flags.string({ summary: 'The shared fetch cache (a bare repository); default .git/mirror/fleet-cache of this checkout.' }),
    format: Flags.string({ char: 'f', summary: 'Output format.', options: ['text', 'markdown'], default: 'text' }),
  };

  async run(): Promise<FleetProposalsResult> {
    const { flags } = await this.parse(FleetProposals);
    const report = await fleetProposals({ cwd: flags.cwd ?? process.cwd(), file: flags.file, policyFile: flags.policy, jobs: flags.jobs, labels: flags.label, cache: flags.cache });
    if (!this.jsonEnabled()) process.stdout.write(flags.format === 'markdown' ? renderFleetProposalsMarkdown(report) : renderFleetProposalsText(report));
    return report;
  }
}
