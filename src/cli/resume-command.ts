import { resumeRun, type ResumeResult } from '../app/sync/resume.js';
import { renderSyncDown, renderSyncUp } from '../report/sync.js';
import { exitCodeForSyncDown, exitCodeForSyncUp } from './sync-exit.js';

/** Shared by `mirror continue` and `mirror skip`. */
export async function resumeAndReport(cwd: string, mode: 'resume' | 'skip', json: boolean, policyFile?: string): Promise<ResumeResult> {
  const resumed = await resumeRun({ cwd, mode, policyFile });
  if (resumed.command === 'sync-up') {
    if (!json) process.stdout.write(renderSyncUp(resumed.result, cwd));
    process.exitCode = exitCodeForSyncUp(resumed.result);
  } else {
    if (!json) process.stdout.write(renderSyncDown(resumed.result));
    process.exitCode = exitCodeForSyncDown(resumed.result);
  }
  return resumed;
}
