import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeForge, type FakeForge } from '../helpers/fake-forge.js';
import { renderFiles, resolveInitOptions } from '../../src/core/init/index.js';
import { fleetWorld, serveLocally, type FleetWorld } from '../helpers/fleet-world.js';
import { randomFrom } from '../helpers/tokens.js';

const TOKEN = ['fleet', randomFrom('abcdef0123456789', 24)].join('-');
let world: FleetWorld;
let fake: FakeForge;

beforeAll(async () => {
  world = fleetWorld();
  fake = await startFakeForge('github', { token: TOKEN });
  fake.addRepo({ owner: 'acme', name: 'globex', private: true, protectedBranches: ['main'], secretScanning: 'enabled', pushProtection: 'enabled' });
  fake.addRepo({ owner: 'acme', name: 'acme', private: false, protectedBranches: ['main'], secretScanning: 'enabled', pushProtection: 'enabled' });
  fake.addRepo({ owner: 'acme', name: 'hooli', private: true });
  // the mirrors' branches as git serves them: globex has the guard workflow `mirror init` writes,
  // hooli runs the guard only by hand, acme has none
  serveLocally(world.sandbox, fake.url, 'acme', world.sandbox.root);
  const resolved = resolveInitOptions({ role: 'public' });
  if (!resolved.ok) throw new Error('init options');
  const guard = renderFiles(resolved.options).find((file) => file.path.endsWith('mirror-guard.yml'))!;
  const addWorkflow = (name: 'globex' | 'hooli', path: string, text: string) => {
    const clone = world.sandbox.repo(`${name}-guard`);
    clone.git('fetch', '-q', world.mirrors[name], 'main');
    clone.git('reset', '-q', '--hard', 'FETCH_HEAD');
    clone.write(path, text);
    clone.commit('CI guard');
    clone.git('push', '-q', world.mirrors[name], 'HEAD:refs/heads/main');
  };
  addWorkflow('globex', guard.path, guard.content);
  addWorkflow('hooli', '.github/workflows/checks.yml', 'on: workflow_dispatch\njobs:\n  guard:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx mirror guard ci\n');
  // `gone` is in the fleet file but not on the forge: its checks are skipped with the forge's answer, never dropped
  world.writeFleet(
    ['globex', 'acme', 'hooli', 'gone'].map((name) => ({ name, url: fake.remoteUrl(`acme/${name}`), apiUrl: fake.apiUrl, labels: name === 'hooli' ? ['eu'] : ['us'] })),
  );
});
afterAll(() => fake?.close());

const statuses = (row: { checks: { id: string; status: string; skipped?: boolean }[] }) => Object.fromEntries(row.checks.map((check) => [check.id, check.skipped ? `${check.status} skipped` : check.status]));

describe('mirror fleet doctor (local fake forge)', () => {
  it("runs doctor's forge checks on every mirror: pass, public mirror fails, missing settings warn, an absent repository is skipped", async () => {
    const run = await world.control.mirrorAsync(['fleet', 'doctor', '--json'], { env: { GH_ENTERPRISE_TOKEN: TOKEN } });
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    const rows = Object.fromEntries(report.mirrors.map((row: { name: string; status: string; checks: { id: string; status: string }[] }) => [row.name, { status: row.status, checks: statuses(row) }]));
    expect(rows).toEqual({
      globex: { status: 'pass', checks: { 'origin-private': 'pass', 'secret-scanning': 'pass', 'push-protection': 'pass', 'branch-protection': 'pass', 'hook-workflow': 'pass' } },
      acme: { status: 'fail', checks: { 'origin-private': 'fail', 'secret-scanning': 'pass', 'push-protection': 'pass', 'branch-protection': 'pass', 'hook-workflow': 'warn' } },
      hooli: { status: 'warn', checks: { 'origin-private': 'pass', 'secret-scanning': 'warn', 'push-protection': 'warn', 'branch-protection': 'warn', 'hook-workflow': 'warn' } },
      gone: {
        status: 'warn',
        checks: { 'origin-private': 'warn skipped', 'secret-scanning': 'warn skipped', 'push-protection': 'warn skipped', 'branch-protection': 'warn skipped', 'hook-workflow': 'warn skipped' },
      },
    });
    const hook = (name: string) => report.mirrors.find((row: { name: string }) => row.name === name).checks.find((check: { id: string }) => check.id === 'hook-workflow');
    expect(hook('globex').message).toBe('globex main: .github/workflows/mirror-guard.yml runs the guard on pull_request and push');
    expect(hook('acme').message).toBe('acme main: no workflow runs the guard: a push that skips the hook (--no-verify) is checked by nothing on the forge');
    expect(hook('acme').fix).toContain('mirror init --public --dry-run');
    expect(hook('hooli').message).toBe('hooli main: .github/workflows/checks.yml runs the guard, but not on push or pull_request (workflow_dispatch)');
    expect(hook('gone').message).toMatch(/^gone: skipped \(its branch could not be read: /);
    expect(report.mirrorSummary).toEqual({ pass: 1, warn: 2, fail: 1 });
    const acme = report.mirrors.find((row: { name: string }) => row.name === 'acme');
    expect(acme.checks[0].fix).toMatch(/make the repository private now/);
  });

  it('prints one table with the fixes below it, and --label narrows the fleet', async () => {
    const run = await world.control.mirrorAsync(['fleet', 'doctor', '--label', 'eu'], { env: { GH_ENTERPRISE_TOKEN: TOKEN } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/mirror\s+origin-private\s+secret-scanning\s+push-protection\s+branch-protection/);
    expect(run.stdout).toMatch(/!\s+hooli\s+✓ pass\s+! warn\s+! warn\s+! warn/);
    expect(run.stdout).not.toContain('globex');
    expect(run.stdout).toContain('! hooli branch-protection: default branch hooli main: not protected');
    expect(run.stdout).toContain('    fix: protect main on acme/hooli');
    expect(run.stdout).toContain('1 mirror: 0 pass, 1 warn, 0 fail');
  });

  it('without a token every check is skipped with how to give one, the exit still 0 (warnings)', async () => {
    const run = await world.control.mirrorAsync(['fleet', 'doctor', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    // the forge checks need the token; the hook workflow is read with git and still answers
    expect(report.checkSummary).toEqual({ pass: 1, warn: 19, fail: 0 });
    expect(report.mirrors[0].checks[0].message).toMatch(/no API token/);
    expect(report.mirrors[0].checks[0].fix).toMatch(/GH_ENTERPRISE_TOKEN/);
  });
});
