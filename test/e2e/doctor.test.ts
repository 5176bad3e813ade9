import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDoctor, type DoctorReport, type DoctorRequest } from '../../src/app/doctor/doctor.js';
import { initRepository } from '../../src/app/init/init.js';
import { FORGE_CHECKS, LOCAL_CHECKS, type CheckId } from '../../src/core/doctor/types.js';
import { startFakeForge, type FakeForge, type FakeForgeKind } from '../helpers/fake-forge.js';
import { Sandbox } from '../helpers/sandbox.js';
import { syncWorld, upstreamCommits } from '../helpers/sync-world.js';
import type { World } from '../helpers/world.js';

const forges: FakeForge[] = [];
afterEach(async () => {
  for (const forge of forges.splice(0)) await forge.close();
});

/**
 * A mirror set up the way the pattern wants: the public upstream acme/widget and
 * the private mirror acme/widget-mirror on a (fake) forge, both protected, with
 * secret scanning; `mirror init` run and committed; upstream fetched.
 */
async function healthyMirror(kind: FakeForgeKind = 'github'): Promise<{ world: World; forge: FakeForge }> {
  const forge = await startFakeForge(kind, { token: 'fake-token-for-tests' });
  forges.push(forge);
  const security = kind === 'github' ? { secretScanning: 'enabled', pushProtection: 'enabled' } as const : {};
  forge.addRepo({ owner: 'acme', name: 'widget', protectedBranches: ['main'], ...security });
  forge.addRepo({ owner: 'acme', name: 'widget-mirror', private: true, protectedBranches: ['main'], ...security });
  const world = syncWorld({ forge });
  await initRepository({ cwd: world.repo.dir, role: 'mirror' });
  world.repo.commit('Set up the mirror (mirror init)');
  return { world, forge };
}

const doctor = (world: World, request: Partial<DoctorRequest> = {}) =>
  runDoctor({ cwd: world.repo.dir, env: world.sandbox.env, forgeOptions: { ghToken: async () => undefined }, ...request });
const check = (report: DoctorReport, id: CheckId) => {
  const found = report.checks.find((item) => item.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((item) => item.id).join(', ')}`);
  return found;
};
const statuses = (report: DoctorReport) => Object.fromEntries(report.checks.map((item) => [item.id, item.status]));


describe('mirror doctor: a healthy mirror', () => {
  it('passes every check, through the CLI too (exit 0, JSON)', async () => {
    const { world, forge } = await healthyMirror();
    const report = await doctor(world);
    expect(report.role).toBe('mirror');
    expect(report.checks.filter((item) => item.status !== 'pass')).toEqual([]);
    expect(report.exitCode).toBe(0);

    const run = await world.repo.mirrorAsync(['doctor', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout) as { checks: { id: string; status: string; message: string }[] };
    expect(json.checks.map((item) => item.id).sort()).toEqual([...LOCAL_CHECKS, ...FORGE_CHECKS].sort());
    for (const item of json.checks) expect(item).toMatchObject({ status: 'pass', message: expect.any(String) });
    // it asked the forge with the token, and changed nothing there
    expect(forge.requests.length).toBeGreaterThan(0);
    expect(forge.requests.every((request) => request.auth === 'valid' && request.method === 'GET')).toBe(true);

    const text = await world.repo.mirrorAsync(['doctor']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/✓ origin-private +origin \(acme\/widget-mirror\) is private/);
    expect(text.stdout).toMatch(/0 failed, 0 warnings, 15 passed/);
  });
});

describe('mirror doctor: local checks', () => {
  it('hook-installed: a missing pre-push hook fails (exit 1), an outdated one warns', async () => {
    const { world } = await healthyMirror();
    const hook = join(world.repo.dir, '.git', 'hooks', 'pre-push');
    const script = readFileSync(hook, 'utf8');
    writeFileSync(hook, script.replace(/^mirror=.*$/m, "mirror='/opt/old-mirror/bin/run.js'"));
    expect(check(await doctor(world), 'hook-installed')).toMatchObject({ status: 'warn', fix: expect.stringMatching(/mirror hook install/) });

    rmSync(hook);
    const report = await doctor(world);
    expect(check(report, 'hook-installed').status).toBe('fail');
    expect(report.exitCode).toBe(1);
    const run = await world.repo.mirrorAsync(['doctor']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ hook-installed +no pre-push hook/);
    expect(run.stdout).toMatch(/→ mirror hook install/);
  });

  it('upstream-remote: no upstream remote fails; an unfetched one warns', async () => {
    const { world } = await healthyMirror();
    world.repo.git('update-ref', '-d', 'refs/remotes/upstream/main');
    expect(check(await doctor(world), 'upstream-remote').status).toBe('warn');
    world.repo.git('remote', 'remove', 'upstream');
    const report = await doctor(world);
    expect(check(report, 'upstream-remote')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/--upstream/) });
    expect(report.role).toBe('mirror');
  });

  it('policy-valid: an invalid policy fails with its line (and doctor still exits 1, not 2)', async () => {
    const { world } = await healthyMirror();
    world.repo.policy('remotes:\n  privat: [origin]\n').commit('Typo in the policy');
    const report = await doctor(world);
    const policy = check(report, 'policy-valid');
    expect(policy.status).toBe('fail');
    expect(policy.details!.join()).toMatch(/policy\.yml:2/);
    const run = await world.repo.mirrorAsync(['doctor', '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).checks.find((item: { id: string }) => item.id === 'policy-valid').status).toBe('fail');
  });

  it('gitignore-secrets: a tracked .env fails; missing ignores and an ignored private/ warn', async () => {
    const { world } = await healthyMirror();
    world.repo.write('.gitignore', readFileSync(join(world.repo.dir, '.gitignore'), 'utf8') + 'private/\n').commit('Ignore private');
    const ignoredPrivate = check(await doctor(world), 'gitignore-secrets');
    expect(ignoredPrivate.status).toBe('warn');
    expect(ignoredPrivate.message).toContain('private/notes.md');

    world.repo.remove('.gitignore').commit('Drop the ignores');
    const missing = check(await doctor(world), 'gitignore-secrets');
    expect(missing.status).toBe('warn');
    expect(missing.message).toMatch(/not ignored: .*\.env/);

    world.repo.write('deploy/.env', 'DATABASE_URL=postgres://localhost/app\n').write('.env.example', 'DATABASE_URL=\n').commit('Deployment settings');
    const tracked = check(await doctor(world), 'gitignore-secrets');
    expect(tracked.status).toBe('fail');
    expect(tracked.details).toEqual(['deploy/.env (zone dotenv)']);
  });

  it('behind-upstream: warns past the commit or day threshold', async () => {
    const { world } = await healthyMirror();
    upstreamCommits(world, [{ files: { 'src/a.js': 'a\n' } }, { files: { 'src/b.js': 'b\n' } }, { files: { 'src/c.js': 'c\n' } }], { fetch: true });
    // the commits are dated 2026-01-01 (the sandbox's clock)
    const soon = new Date('2026-01-02T00:00:00Z');
    expect(check(await doctor(world, { now: soon }), 'behind-upstream')).toMatchObject({ status: 'pass', message: expect.stringMatching(/3 commits behind/) });
    expect(check(await doctor(world, { now: soon, maxBehindCommits: 2 }), 'behind-upstream').status).toBe('warn');
    const later = new Date('2026-02-01T00:00:00Z');
    const stale = check(await doctor(world, { now: later }), 'behind-upstream');
    expect(stale).toMatchObject({ status: 'warn', fix: expect.stringMatching(/mirror sync-down/) });
    const oldest = Math.min(...world.repo.git('log', '--format=%ct', 'main..upstream/main').split('\n').map(Number)) * 1000;
    expect(stale.message).toContain(`the oldest from ${Math.floor((later.getTime() - oldest) / 86_400_000)} days ago`);

    const run = await world.repo.mirrorAsync(['doctor', '--json', '--max-behind-commits', '1', '--max-behind-days', '100000']);
    expect(JSON.parse(run.stdout).checks.find((item: { id: string }) => item.id === 'behind-upstream').status).toBe('warn');
    expect(run.code).toBe(0);
  });

  it('no-paused-run: a sync-down stopped on a conflict warns with how to go on', async () => {
    const { world } = await healthyMirror();
    world.repo.write('src/app.js', 'export const app = "mirror";\n').commit('Mirror tweak');
    upstreamCommits(world, [{ files: { 'src/app.js': 'export const app = "upstream";\n' } }], { fetch: true });
    const sync = world.repo.mirror(['sync-down', '--no-push']);
    expect(sync.code, sync.stdout + sync.stderr).toBe(3);
    const paused = check(await doctor(world), 'no-paused-run');
    expect(paused.status).toBe('warn');
    expect(paused.message).toMatch(/sync-down.*paused/);
    expect(paused.fix).toMatch(/mirror continue|mirror abort/);
    expect(world.repo.mirror(['abort']).code).toBe(0);
    expect(check(await doctor(world), 'no-paused-run').status).toBe('pass');
  });
});

describe('mirror doctor: forge checks', () => {
  it('origin-private: a public mirror fails', async () => {
    const { world, forge } = await healthyMirror();
    forge.repo('acme/widget-mirror').private = false;
    const report = await doctor(world);
    expect(check(report, 'origin-private')).toMatchObject({ status: 'fail', message: expect.stringMatching(/PUBLIC/) });
    expect(report.exitCode).toBe(1);
  });

  it('upstream-public: a private upstream fails', async () => {
    const { world, forge } = await healthyMirror();
    forge.repo('acme/widget').private = true;
    expect(check(await doctor(world), 'upstream-public').status).toBe('fail');
  });

  it('secret-scanning and push-protection: disabled on the public repository fails, on the mirror warns', async () => {
    const { world, forge } = await healthyMirror();
    forge.repo('acme/widget').secretScanning = 'disabled';
    forge.repo('acme/widget-mirror').pushProtection = 'disabled';
    const report = await doctor(world);
    expect(check(report, 'secret-scanning')).toMatchObject({ status: 'fail', message: expect.stringMatching(/upstream: disabled/) });
    expect(check(report, 'push-protection')).toMatchObject({ status: 'warn', message: expect.stringMatching(/origin: disabled/) });
  });

  it('secret-scanning: unknown without admin rights warns', async () => {
    const { world, forge } = await healthyMirror();
    forge.repo('acme/widget').admin = false;
    const report = await doctor(world);
    expect(check(report, 'secret-scanning').status).toBe('warn');
    expect(check(report, 'public-self-hosted-runners')).toMatchObject({ status: 'warn', message: expect.stringMatching(/unknown/) });
  });

  it('branch-protection: an unprotected public main fails, an unprotected mirror main warns', async () => {
    const { world, forge } = await healthyMirror();
    forge.repo('acme/widget-mirror').protectedBranches.clear();
    expect(check(await doctor(world), 'branch-protection').status).toBe('warn');
    forge.repo('acme/widget').protectedBranches.clear();
    expect(check(await doctor(world), 'branch-protection')).toMatchObject({ status: 'fail', message: expect.stringMatching(/upstream main: NOT protected/) });
  });

  it('public-self-hosted-runners: a runner registered on the public repository fails', async () => {
    const { world, forge } = await healthyMirror();
    forge.repo('acme/widget').runners.push({ name: 'lab-gpu-1', labels: ['self-hosted', 'linux', 'gpu'] });
    const runners = check(await doctor(world), 'public-self-hosted-runners');
    expect(runners.status).toBe('fail');
    expect(runners.message).toMatch(/1 self-hosted runner registered.*gpu/);
    expect(runners.details!.join()).toContain('lab-gpu-1');
  });

  it('public-self-hosted-runners: a public workflow on a self-hosted label fails, read from upstream/main (not the work tree)', async () => {
    const { world } = await healthyMirror();
    // the mirror's own experiment workflow targets self-hosted runners: that is fine, it is private
    expect(readFileSync(join(world.repo.dir, '.github/workflows/experiment.yml'), 'utf8')).toContain('self-hosted');
    upstreamCommits(world, [
      { files: { '.github/workflows/bench.yml': 'on: pull_request\njobs:\n  bench:\n    runs-on: [self-hosted, linux]\n    steps:\n      - run: ./bench.sh\n' }, message: 'Benchmarks on our lab' },
    ], { fetch: true });
    const runners = check(await doctor(world), 'public-self-hosted-runners');
    expect(runners.status).toBe('fail');
    expect(runners.details!.join()).toMatch(/\.github\/workflows\/bench\.yml job "bench": runs on \[self-hosted/);
  });

  it('pull-request-target: a public workflow checking out the pull request head fails', async () => {
    const { world } = await healthyMirror();
    const workflow = [
      'on: pull_request_target',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '        with:',
      '          ref: ${{ github.event.pull_request.head.sha }}',
      '      - run: npm ci && npm test',
      '',
    ].join('\n');
    upstreamCommits(world, [{ files: { '.github/workflows/pr.yml': workflow } }], { fetch: true });
    const report = await doctor(world);
    const target = check(report, 'pull-request-target');
    expect(target.status).toBe('fail');
    expect(target.details!.join()).toMatch(/pr\.yml job "test".*checks out untrusted code/);
    expect(check(report, 'public-self-hosted-runners').status).toBe('pass');
  });

  it('no token: forge checks are skipped with a warning, and warnings do not fail', async () => {
    const { world, forge } = await healthyMirror();
    const env = { ...world.sandbox.env, GITHUB_TOKEN: '' };
    const report = await doctor(world, { env });
    for (const id of ['origin-private', 'upstream-public', 'secret-scanning', 'push-protection', 'branch-protection'] as const) {
      expect(check(report, id), id).toMatchObject({ status: 'warn', skipped: true });
    }
    expect(check(report, 'origin-private').message).toMatch(/no API token/);
    // what git alone can answer still runs
    expect(check(report, 'pull-request-target').status).toBe('pass');
    expect(report.exitCode).toBe(0);
    expect(forge.requests.filter((request) => request.auth !== 'valid')).toEqual([]);

    const run = await world.repo.mirrorAsync(['doctor'], { env: { GITHUB_TOKEN: '', PATH: world.sandbox.env.PATH } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/no API token for 127\.0\.0\.1; its forge checks are skipped/);
    expect(run.stdout).toMatch(/→ give doctor a token/);
  });

  it('Forgejo: no secret scanning there is a pass with a note', async () => {
    const { world } = await healthyMirror('forgejo');
    const report = await doctor(world);
    expect(check(report, 'secret-scanning')).toMatchObject({ status: 'pass', message: expect.stringMatching(/not offered by Forgejo/) });
    expect(report.checks.filter((item) => item.status !== 'pass')).toEqual([]);
    expect(report.connections.map((connection) => connection.kind)).toEqual(['forgejo', 'forgejo']);
  });

  it('--api-url and --forge name the forge when nothing else can (no CI variables)', async () => {
    const { world, forge } = await healthyMirror('forgejo');
    const env = { ...world.sandbox.env, GITHUB_SERVER_URL: '', GITHUB_API_URL: '', GITHUB_TOKEN: '', FORGEJO_TOKEN: 'fake-token-for-tests' };
    const unknown = await doctor(world, { env });
    expect(check(unknown, 'origin-private')).toMatchObject({ status: 'warn', skipped: true, message: expect.stringMatching(/cannot tell which forge/) });
    const named = await doctor(world, { env, forge: 'forgejo', apiUrl: forge.apiUrl });
    expect(named.checks.filter((item) => item.status !== 'pass')).toEqual([]);
  });
});

describe('mirror doctor in the public repository', () => {
  it('treats origin as the public side and leaves out the mirror-only checks', async () => {
    const forge = await startFakeForge('github', { token: 'fake-token-for-tests' });
    forges.push(forge);
    forge.addRepo({ owner: 'acme', name: 'widget', protectedBranches: ['main'], secretScanning: 'enabled', pushProtection: 'enabled' });
    const sandbox = new Sandbox();
    const bare = sandbox.bare('widget');
    const repo = sandbox.repo('widget');
    const url = forge.remoteUrl('acme/widget');
    repo.git('remote', 'add', 'origin', url);
    repo.git('config', `url.${bare}.insteadOf`, url);
    sandbox.env = { ...sandbox.env, GITHUB_SERVER_URL: forge.url, GITHUB_API_URL: forge.apiUrl, GITHUB_TOKEN: 'fake-token-for-tests' };
    repo.write('README.md', '# widget\n').commit('Initial commit');
    await initRepository({ cwd: repo.dir, role: 'public', sarif: true });
    repo.commit('Guard the public repository');
    repo.git('push', '-q', '--no-verify', 'origin', 'main');

    const request = { cwd: repo.dir, env: sandbox.env, forgeOptions: { ghToken: async () => undefined } };
    const report = await runDoctor(request);
    expect(report.role).toBe('public');
    expect(report.remotes).toEqual({ public: 'origin' });
    expect(report.checks.map((item) => item.id)).not.toContain('origin-private');
    expect(report.checks.map((item) => item.id)).not.toContain('behind-upstream');
    expect(statuses(report)).toMatchObject({ 'upstream-public': 'pass', 'branch-protection': 'pass', 'public-self-hosted-runners': 'pass', 'hook-installed': 'pass', 'policy-valid': 'pass' });
    expect(check(report, 'upstream-public').message).toMatch(/origin \(acme\/widget\) is public/);

    forge.repo('acme/widget').runners.push({ name: 'ci-box', labels: ['self-hosted'] });
    forge.repo('acme/widget').private = true;
    const broken = await runDoctor(request);
    expect(statuses(broken)).toMatchObject({ 'upstream-public': 'fail', 'public-self-hosted-runners': 'fail' });
  });
});
