import { afterEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/app/doctor/doctor.js';
import { initRepository } from '../../src/app/init/init.js';
import { startFakeForge, type FakeForge } from '../helpers/fake-forge.js';
import { syncWorld, upstreamCommits } from '../helpers/sync-world.js';

const forges: FakeForge[] = [];
afterEach(async () => {
  for (const forge of forges.splice(0)) await forge.close();
});

async function mirror() {
  const forge = await startFakeForge('github', { token: 'fake-token-for-tests' });
  forges.push(forge);
  forge.addRepo({ owner: 'acme', name: 'widget', protectedBranches: ['main'], secretScanning: 'enabled', pushProtection: 'enabled' });
  forge.addRepo({ owner: 'acme', name: 'widget-mirror', private: true, protectedBranches: ['main'], secretScanning: 'enabled', pushProtection: 'enabled' });
  const world = syncWorld({ forge });
  await initRepository({ cwd: world.repo.dir, role: 'mirror' });
  world.repo.commit('Set up the mirror (mirror init)');
  const doctor = async () => (await runDoctor({ cwd: world.repo.dir, env: world.sandbox.env, forgeOptions: { ghToken: async () => undefined } })).checks.find((check) => check.id === 'runner-lanes')!;
  return { world, doctor };
}

describe('mirror doctor runner-lanes (real git, public workflows read from upstream/main)', () => {
  it('passes hosted public workflows (the mirror\'s own self-hosted experiment workflow does not count)', async () => {
    const { world, doctor } = await mirror();
    upstreamCommits(world, [{ files: { '.github/workflows/ci.yml': 'on: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n' } }], { fetch: true });
    expect(await doctor()).toMatchObject({ status: 'pass' });
  });

  it('warns when a public pull_request workflow runs on [self-hosted, lab], and says the job could move', async () => {
    const { world, doctor } = await mirror();
    upstreamCommits(world, [{ files: { '.github/workflows/lint.yml': 'on: pull_request\npermissions:\n  contents: read\njobs:\n  lint:\n    runs-on: [self-hosted, lab]\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm run lint\n' } }], { fetch: true });
    const check = await doctor();
    expect(check.status).toBe('warn');
    expect(check.details).toEqual(['.github/workflows/lint.yml job "lint" targets "self-hosted", "lab" (pull_request: a fork\'s pull request runs it there), but needs nothing of them: run it on a hosted runner or the external lane']);
  });
});
