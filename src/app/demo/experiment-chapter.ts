import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderExperiment } from '../../core/init/templates.js';
import { DEFAULT_ACTION_REF } from '../../core/init/types.js';
import type { Chapter } from './steps.js';

/** Blocks this thread for a moment: the demo's steps are synchronous. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Experiment runs: dispatch a small sweep, watch it, download and compare the
 * results, against a local Actions server the demo starts (and stops) itself.
 */
export const EXPERIMENT_CHAPTER: Chapter = {
  title: 'Experiment runs: dispatch a sweep, watch it, read the results back',
  run(s, act) {
    const portFile = join(s.root, 'actions-server.url');
    const script = fileURLToPath(new URL('./actions-server.js', import.meta.url));
    const server = spawn(process.execPath, [script, portFile], { stdio: 'ignore' });
    try {
      for (let waited = 0; !existsSync(portFile) && waited < 10_000; waited += 50) pause(50);
      if (!existsSync(portFile)) {
        act.expect('the local Actions server started', false);
        return;
      }
      const api = readFileSync(portFile, 'utf8').trim();
      act.say(`A local server (${api}) plays the mirror's forge: GitHub's Actions API, a self-hosted "gpu" runner, artifact storage that refuses tokens.`);
      s.write('.github/workflows/experiment.yml', renderExperiment({ role: 'mirror', forge: 'github', actionRef: DEFAULT_ACTION_REF, branch: 'main', schedule: '0 0 * * *', runnerLabels: ['self-hosted', 'gpu'], sarif: false }));
      s.git(['add', '.']);
      s.git(['commit', '-q', '-m', 'Experiment workflow (mirror init writes it)']);
      s.git(['remote', 'add', 'forge', `${api}/demo/widget-mirror.git`]);
      // as if pushed there: dispatch reads the workflow at forge/main to check the inputs
      s.git(['update-ref', 'refs/remotes/forge/main', 'HEAD']);
      const env = { GH_ENTERPRISE_TOKEN: 'demo-token', MIRROR_RUN_POLL_MS: '150' };
      const flags = ['--remote', 'forge', '--forge', 'github', '--api-url', api];
      const cli = (args: string[]) => act.command(s.mirrorCli([...args, ...flags], s.work, env));

      act.say('An input the workflow does not declare is refused before anything is dispatched:');
      const typo = cli(['run', 'dispatch', 'experiment', '-f', 'run_name=oops', '-f', 'learning_rate=0.1']);
      act.expect('the typo is refused with exit 2', typo.code === 2 && /learning_rate/.test(typo.output));

      s.write('sweep.yml', '- { run_name: lr-0.1, parameters: "--lr 0.1" }\n- { run_name: lr-0.01, parameters: "--lr 0.01" }\n- { run_name: lr-0.001, parameters: "--lr 0.001" }\n');
      act.say('A sweep of three learning rates, dispatched as one batch (recorded with its inputs in .git/mirror/runs/):');
      const batch = cli(['run', 'dispatch', 'experiment', '--matrix', 'sweep.yml', '-f', 'dataset=sample']);
      act.expect('three runs dispatched', batch.code === 0 && (batch.output.match(/^dispatched run/gm)?.length ?? 0) === 3);
      const watch = cli(['run', 'watch', '--all', '--timeout', '60s']);
      act.expect('every run of the batch succeeded (exit 0)', watch.code === 0);
      const download = cli(['run', 'download', '--all', '--dir', 'results']);
      act.expect('the results are downloaded and verified', download.code === 0 && existsSync(join(s.work, 'results')) && /digest verified/.test(download.output));
      const compare = cli(['run', 'compare', '--all']);
      act.expect('compare puts inputs and metrics side by side', compare.code === 0 && /accuracy/.test(compare.output) && /0\.95/.test(compare.output));
    } finally {
      server.kill();
    }
  },
};
