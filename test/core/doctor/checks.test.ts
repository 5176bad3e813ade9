import { describe, expect, it } from 'vitest';
import type { RepositoryFacts } from '../../../src/adapters/forge/types.js';
import { auditWorkflows } from '../../../src/core/audit/classify.js';
import {
  behindCheck,
  branchCheck,
  doctorExitCode,
  featureCheck,
  gitignoreCheck,
  hookCheck,
  originPrivateCheck,
  pausedCheck,
  policyCheck,
  publicSideCheck,
  pullRequestTargetCheck,
  runnersCheck,
  upstreamRemoteCheck,
  type HookState,
  type Side,
  type SideAccess,
} from '../../../src/core/doctor/index.js';

const repoFacts = (overrides: Partial<RepositoryFacts> = {}): RepositoryFacts => ({
  owner: 'acme',
  name: 'widget',
  url: 'https://forge.example/acme/widget',
  private: false,
  visibility: 'public',
  defaultBranch: 'main',
  archived: false,
  fork: false,
  secretScanning: 'enabled',
  pushProtection: 'enabled',
  ...overrides,
});

type Access = Extract<SideAccess, { ok: true }>;
const side = (which: 'mirror' | 'public', access: Partial<Omit<Access, 'repo'>> & { repo?: Partial<RepositoryFacts> } = {}): Side => ({
  remote: which === 'mirror' ? 'origin' : 'upstream',
  side: which,
  access: {
    ok: true,
    kind: access.kind ?? 'github',
    repo: repoFacts({ private: which === 'mirror', visibility: which === 'mirror' ? 'private' : 'public', ...access.repo }),
    protectedDefault: access.protectedDefault ?? true,
    runners: access.runners ?? { count: 0, labels: [], names: [] },
  },
});
const noToken = (which: 'mirror' | 'public'): Side => ({ remote: which === 'mirror' ? 'origin' : 'upstream', side: which, access: { ok: false, reason: 'no API token for forge.example', fix: 'set GITHUB_TOKEN' } });

describe('hook-installed', () => {
  it.each([
    ['current', 'current', 'pass'],
    ['current', 'missing', 'warn'],
    ['current', 'outdated', 'warn'],
    ['outdated', 'current', 'warn'],
    ['missing', 'current', 'fail'],
    ['foreign', 'current', 'fail'],
  ] as [HookState, HookState, string][])('pre-push %s, pre-commit %s → %s', (push, commit, status) => {
    const check = hookCheck({ 'pre-push': push, 'pre-commit': commit });
    expect(check.status).toBe(status);
    if (status !== 'pass') expect(check.fix).toMatch(/mirror hook install/);
  });
});

describe('policy-valid', () => {
  const privateOrigin = { class: 'private' as const, reason: 'origin matches private entry "origin"' };
  it('fails on errors and names the first one', () => {
    const check = policyCheck({ role: 'mirror', file: '.mirror/policy.yml', errors: [{ file: '.mirror/policy.yml', line: 3, field: 'remotes.privat', message: 'unknown key' }], origin: privateOrigin, originName: 'origin' });
    expect(check.status).toBe('fail');
    expect(check.fix).toContain('.mirror/policy.yml:3');
    expect(check.details![0]).toContain('remotes.privat');
  });
  it('warns without a policy file, or when a mirror does not class origin private', () => {
    expect(policyCheck({ role: 'mirror', file: undefined, errors: [], origin: undefined, originName: 'origin' }).status).toBe('warn');
    expect(policyCheck({ role: 'mirror', file: 'p', errors: [], origin: { class: 'public', reason: 'unlisted' }, originName: 'origin' }).status).toBe('warn');
  });
  it('passes a valid policy', () => {
    expect(policyCheck({ role: 'mirror', file: 'p', errors: [], origin: privateOrigin, originName: 'origin' }).status).toBe('pass');
    expect(policyCheck({ role: 'public', file: 'p', errors: [], origin: { class: 'public', reason: 'listed' }, originName: 'origin' }).status).toBe('pass');
  });
});

describe('upstream-remote', () => {
  const base = { name: 'upstream', branch: 'main', url: 'https://forge.example/acme/widget.git', classification: { class: 'public' as const, reason: 'listed' }, fetched: true };
  it.each([
    ['missing', { url: undefined }, 'fail'],
    ['classed private', { classification: { class: 'private' as const, reason: 'listed private' } }, 'fail'],
    ['not fetched', { fetched: false }, 'warn'],
    ['fine', {}, 'pass'],
  ])('%s', (_label, overrides, status) => {
    expect(upstreamRemoteCheck({ ...base, ...overrides }).status).toBe(status);
  });
});

describe('gitignore-secrets', () => {
  it.each([
    [{ tracked: [{ path: '.env', zone: 'dotenv' }] }, 'fail'],
    [{ notIgnored: ['.env.local'] }, 'warn'],
    [{ wronglyIgnored: ['private/notes.md'] }, 'warn'],
    [{}, 'pass'],
  ])('%j → %s', (overrides, status) => {
    const check = gitignoreCheck({ role: 'mirror', notIgnored: [], wronglyIgnored: [], tracked: [], ...overrides });
    expect(check.status).toBe(status);
  });
});

describe('behind-upstream', () => {
  const now = new Date('2026-03-01T00:00:00Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const facts = { upstreamRef: 'upstream/main', branch: 'main', now, maxCommits: 50, maxDays: 14 };
  it.each([
    [0, undefined, 'pass'],
    [3, daysAgo(2), 'pass'],
    [51, daysAgo(2), 'warn'],
    [3, daysAgo(15), 'warn'],
    [undefined, undefined, 'warn'],
  ])('%s commits, oldest %s → %s', (behind, oldest, status) => {
    expect(behindCheck({ ...facts, behind, oldest }).status).toBe(status);
  });
  it('says how far behind and since when', () => {
    expect(behindCheck({ ...facts, behind: 60, oldest: daysAgo(20) }).message).toMatch(/60 commits behind upstream\/main, the oldest from 20 days ago/);
  });
});

describe('no-paused-run', () => {
  it('warns with the hints of a paused run', () => {
    const check = pausedCheck({ paused: { description: 'sync-down, step 2 of 4 paused: conflict', hints: ['mirror continue', 'mirror abort'] } });
    expect(check.status).toBe('warn');
    expect(check.fix).toContain('mirror continue');
    expect(pausedCheck({}).status).toBe('pass');
  });
});

describe('forge: visibility', () => {
  it('a public mirror fails, a private one passes', () => {
    expect(originPrivateCheck(side('mirror', { repo: { private: false, visibility: 'public' } })).status).toBe('fail');
    expect(originPrivateCheck(side('mirror')).status).toBe('pass');
    expect(originPrivateCheck(side('mirror', { repo: { private: true, visibility: 'internal' } })).status).toBe('pass');
  });
  it('a private upstream fails, a public one passes', () => {
    expect(publicSideCheck(side('public', { repo: { private: true, visibility: 'private' } })).status).toBe('fail');
    expect(publicSideCheck(side('public')).status).toBe('pass');
  });
  it('no token: skipped with a warning', () => {
    const check = originPrivateCheck(noToken('mirror'));
    expect(check).toMatchObject({ status: 'warn', skipped: true });
    expect(check.message).toContain('no API token');
  });
});

describe('forge: secret scanning and push protection', () => {
  it.each([
    ['enabled everywhere', side('public'), side('mirror'), 'pass'],
    ['disabled on the public side', side('public', { repo: { secretScanning: 'disabled' } }), side('mirror'), 'fail'],
    ['disabled on the private mirror', side('public'), side('mirror', { repo: { secretScanning: 'disabled' } }), 'warn'],
    ['unknown (no admin)', side('public', { repo: { secretScanning: 'unknown' } }), side('mirror'), 'warn'],
    ['unavailable (Forgejo)', side('public', { kind: 'forgejo', repo: { secretScanning: 'unavailable' } }), side('mirror', { kind: 'forgejo', repo: { secretScanning: 'unavailable' } }), 'pass'],
    ['no token', noToken('public'), side('mirror'), 'warn'],
  ] as [string, Side, Side, string][])('%s', (_label, publicSide, mirrorSide, status) => {
    const check = featureCheck('secretScanning', [publicSide, mirrorSide]);
    expect(check.id).toBe('secret-scanning');
    expect(check.status).toBe(status);
  });
  it('names Forgejo when it has no such feature', () => {
    expect(featureCheck('pushProtection', [side('public', { kind: 'forgejo', repo: { pushProtection: 'unavailable' } })]).message).toMatch(/not offered by Forgejo/);
  });
});

describe('forge: branch protection', () => {
  it.each([
    [true, true, 'pass'],
    [false, true, 'fail'],
    [true, false, 'warn'],
    ['unknown', true, 'warn'],
    ['missing', true, 'warn'],
  ] as const)('public %s, mirror %s → %s', (publicProtected, mirrorProtected, status) => {
    expect(branchCheck([side('public', { protectedDefault: publicProtected }), side('mirror', { protectedDefault: mirrorProtected })]).status).toBe(status);
  });
});

const workflow = (text: string, file = '.github/workflows/ci.yml') => auditWorkflows([{ file, platform: 'github', text }], { root: 'upstream/main', directories: ['.github/workflows'] });

describe('forge: self-hosted runners on the public side', () => {
  const hosted = workflow('on: pull_request\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n');
  const selfHosted = workflow('on: pull_request\njobs:\n  bench:\n    runs-on: [self-hosted, gpu]\n    steps:\n      - run: ./bench\n');
  it('registered runners fail', () => {
    const check = runnersCheck(side('public', { runners: { count: 1, labels: ['self-hosted', 'linux'], names: ['lab-1'] } }), { ref: 'upstream/main', audit: hosted });
    expect(check.status).toBe('fail');
    expect(check.details!.join()).toContain('lab-1');
  });
  it('a workflow targeting self-hosted labels fails even without a token', () => {
    const check = runnersCheck(noToken('public'), { ref: 'upstream/main', audit: selfHosted });
    expect(check.status).toBe('fail');
    expect(check.details!.join()).toMatch(/ci\.yml job "bench"/);
  });
  it('placement counts too: a movable job on [self-hosted, lab] in a public repository still fails', () => {
    const placed = workflow('on: pull_request\npermissions: {}\njobs:\n  lint:\n    runs-on: [self-hosted, lab]\n    steps:\n      - run: npm run lint\n');
    const check = runnersCheck(side('public'), { ref: 'upstream/main', audit: placed });
    expect(check.status).toBe('fail');
    expect(check.details).toEqual(['.github/workflows/ci.yml job "lint": runs on [self-hosted, lab]']);
  });
  it('hosted runners only pass; unknowable parts warn', () => {
    expect(runnersCheck(side('public'), { ref: 'upstream/main', audit: hosted }).status).toBe('pass');
    expect(runnersCheck(side('public', { runners: 'unknown' }), { ref: 'upstream/main', audit: hosted }).status).toBe('warn');
    expect(runnersCheck(side('public'), { ref: 'upstream/main', audit: undefined }).status).toBe('warn');
  });
});

describe('forge: pull_request_target', () => {
  it('fails when the pull request head is checked out, passes otherwise', () => {
    const pwn = workflow(
      'on: pull_request_target\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: npm test\n',
    );
    const labeller = workflow('on: pull_request_target\npermissions:\n  pull-requests: write\njobs:\n  label:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/labeler@v5\n');
    const failed = pullRequestTargetCheck({ ref: 'upstream/main', audit: pwn });
    expect(failed.status).toBe('fail');
    expect(failed.details!.join()).toMatch(/job "build"/);
    expect(pullRequestTargetCheck({ ref: 'upstream/main', audit: labeller }).status).toBe('pass');
  });
});

describe('exit code', () => {
  it('is 1 only when a check fails', () => {
    expect(doctorExitCode([hookCheck({ 'pre-push': 'current', 'pre-commit': 'missing' })])).toBe(0);
    expect(doctorExitCode([hookCheck({ 'pre-push': 'missing', 'pre-commit': 'current' })])).toBe(1);
  });
});
