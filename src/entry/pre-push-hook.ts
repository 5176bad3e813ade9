import { prePush } from '../app/guard/pre-push.js';
import { describeError, presentReport } from '../cli/present.js';
import { readStdin } from '../cli/stdin.js';
import { HOOK_FAILED, REFUSED_FOOTER } from '../messages.js';

/** A hook speaks on stderr: that is what git shows the person pushing. */
export const toStderr = (text: string): void => {
  process.stderr.write(text);
};

/**
 * `mirror guard pre-push <remote> <url>` exactly as the installed hook calls it,
 * without oclif's start-up (~70 ms): the hook runs on every push. Same
 * application function and presenter as the oclif command.
 */
export async function runPrePushHook(remote: string, url: string): Promise<number> {
  try {
    const input = await readStdin();
    const report = await prePush({ cwd: process.cwd(), remote, url, input });
    return await presentReport(report, { format: 'text', footer: REFUSED_FOOTER, write: toStderr });
  } catch (error) {
    const { text, exitCode } = describeError(error, HOOK_FAILED);
    process.stderr.write(text);
    return exitCode;
  }
}
