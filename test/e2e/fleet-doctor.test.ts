import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeForge, type FakeForge } from '../helpers/fake-forge.js';
import { fleetWorld, type FleetWorld } from '../helpers/fleet-world.js';
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
      globex: { status: 'pass', checks: { 'origin-private': 'pass', 'secret-scanning': 'pass', 'push-protection': 'pass', 'branch-protection': 'pass' } },
      acme: { status: 'fail', checks: { 'origin-private': 'fail', 'secret-scanning': 'pass', 'push-protection': 'pass', 'branch-protection': 'pass' } },
      hooli: { status: 'warn', checks: { 'origin-private': 'pass', 'secret-scanning': 'warn', 'push-protection': 'warn', 'branch-protection': 'warn' } },
      gone: { status: 'warn', checks: { 'origin-private': 'warn skipped', 'secret-scanning': 'warn skipped', 'push-protection': 'warn skipped', 'branch-protection': 'warn skipped' } },
    });
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
    expect(report.checkSummary).toEqual({ pass: 0, warn: 16, fail: 0 });
    expect(report.mirrors[0].checks[0].message).toMatch(/no API token/);
    expect(report.mirrors[0].checks[0].fix).toMatch(/GH_ENTERPRISE_TOKEN/);
  });
});
