import { Flags } from '@oclif/core';
import { runDemo, type DemoEvent } from '../app/demo/steps.js';
import { MirrorCommand } from '../cli/base.js';
import { ExitCode } from '../errors.js';

export default class Demo extends MirrorCommand {
  static override summary = 'Build a throwaway sandbox and watch the guard refuse a leak and allow a clean push.';
  static override description =
    'Creates a public upstream and a private mirror (bare repositories) and a working clone in a temporary folder, installs the hook, and narrates real pushes: customer files to the mirror (allowed), a secret (refused), the mirror to upstream (refused), a clean branch to upstream (allowed); then sync-down of a new upstream release and sync-up of mixed mirror work, private parts left behind; then an experiment sweep dispatched, watched, downloaded and compared against a local Actions server the demo starts itself. Needs only git.';
  static override flags = { keep: Flags.boolean({ summary: 'Keep the sandbox folder to explore it afterwards.' }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(Demo);
    const result = runDemo({ keep: flags.keep, emit: (event) => process.stdout.write(render(event)) });
    process.stdout.write(
      `\n${result.ok ? '✓ every step behaved as described' : '✗ some step did not behave as described'}` +
        `${result.kept ? `; the sandbox is kept at ${result.root}` : '; the sandbox was removed (use --keep to explore it)'}\n`,
    );
    if (!result.ok) process.exitCode = ExitCode.violations;
  }
}

function render(event: DemoEvent): string {
  switch (event.kind) {
    case 'chapter':
      return `\n== ${event.text}\n`;
    case 'say':
      return `${event.text}\n`;
    case 'command': {
      const output = event.outcome?.output ? `${event.outcome.output.replace(/^/gm, '    ')}\n` : '';
      return `  ${event.text}   [exit ${event.outcome?.code}]\n${output}`;
    }
    case 'expect':
      return `  ${event.ok ? '✓' : '✗'} ${event.text}\n`;
  }
}
