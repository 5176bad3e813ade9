import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { withMarker } from '../../src/core/init/files.js';
import { workflowProblems } from '../core/init/validate.js';
import { Sandbox, type Repo } from '../helpers/sandbox.js';

const UPSTREAM_URL = 'https://forge.example.invalid/acme/widget.git';

interface Clone {
  sandbox: Sandbox;
  repo: Repo;
  upstream: string;
  mirror: string;
}

/** A fresh clone of a private mirror with one commit and nothing set up. */
function freshClone(): Clone {
  const sandbox = new Sandbox();
  const upstream = sandbox.bare('upstream');
  const mirror = sandbox.bare('mirror');
  const repo = sandbox.repo();
  repo.git('remote', 'add', 'origin', mirror);
  repo.write('README.md', '# widget\n').commit('Initial commit');
  repo.git('push', '-q', '--no-verify', 'origin', 'main');
  return { sandbox, repo, upstream, mirror };
}

function init(repo: Repo, ...args: string[]) {
  const run = repo.mirror(['init', ...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as {
    role: string;
    changed: boolean;
    dryRun: boolean;
    actions: { kind: string; target: string; status: string; detail?: string; content?: string }[];
    notes: string[];
  };
}

const read = (repo: Repo, path: string) => readFileSync(join(repo.dir, path), 'utf8');
const ignored = (repo: Repo, path: string) => repo.tryGit('check-ignore', '-q', '--no-index', path).code === 0;
const policyRemotes = (repo: Repo) => {
  const run = repo.mirror(['policy', 'check', '--json']);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  return Object.fromEntries((JSON.parse(run.stdout).effective.remotes as { name: string; class: string }[]).map((remote) => [remote.name, remote.class]));
};
/** Everything init may touch: the work tree's status, the remotes, the hooks. */
const snapshot = (repo: Repo) =>
  [
    repo.git('status', '--porcelain=v1', '--untracked-files=all', '--ignored'),
    repo.git('remote', '-v'),
    ...['.gitignore', '.mirror/policy.yml', '.github/workflows/mirror-sync-down.yml', '.github/workflows/experiment.yml', '.git/hooks/pre-push', '.git/hooks/pre-commit'].map((path) =>
      existsSync(join(repo.dir, path)) ? `${path}\n${read(repo, path)}\n${statSync(join(repo.dir, path)).mtimeMs}` : `${path} absent`,
    ),
  ].join('\n--\n');

describe('mirror init in a private mirror', () => {
  it('adds the upstream remote, the policy, the ignores, the hooks and valid workflows', async () => {
    const { repo, upstream } = freshClone();
    const result = init(repo, '--upstream', UPSTREAM_URL);
    expect(result.role).toBe('mirror');
    expect(result.changed).toBe(true);

    // the remote, classed as the pattern wants
    expect(repo.git('config', '--get', 'remote.upstream.url')).toBe(UPSTREAM_URL);
    expect(policyRemotes(repo)).toEqual({ origin: 'private', upstream: 'public' });

    // local secret files are ignored; the mirror's private files are not
    for (const path of ['.env', '.env.production', 'config/.env', 'id_rsa', 'keys/id_ed25519', 'certs/client.p12', '.npmrc']) expect(ignored(repo, path), path).toBe(true);
    for (const path of ['private/contract.md', 'private/deep/notes.txt', 'config/settings.local.json', 'app.local.yml', '.env.example', 'src/index.js']) expect(ignored(repo, path), path).toBe(false);

    // the workflows: where the forge looks, and valid
    for (const name of ['mirror-sync-down.yml', 'experiment.yml']) {
      const text = read(repo, `.github/workflows/${name}`);
      expect(await workflowProblems(text, { file: name, selfHostedLabels: ['self-hosted', 'linux', 'x64'] }), name).toEqual([]);
    }
    const syncDown = parse(read(repo, '.github/workflows/mirror-sync-down.yml'));
    expect(JSON.stringify(syncDown)).toContain(UPSTREAM_URL);

    // the hooks work: private files reach the mirror, never the upstream
    repo.git('config', `url.${upstream}.insteadOf`, UPSTREAM_URL);
    repo.write('private/contract.md', 'customer terms\n').commit('Customer contract');
    const toMirror = repo.tryGit('push', 'origin', 'main');
    expect(toMirror.code, toMirror.stderr).toBe(0);
    const toUpstream = repo.tryGit('push', 'upstream', 'main');
    expect(toUpstream.code).not.toBe(0);
    expect(toUpstream.stderr).toMatch(/private\/contract\.md/);
    // and the pre-commit hook refuses a secret file's contents
    expect(read(repo, '.git/hooks/pre-commit')).toContain('guard staged');
  });

  it('is idempotent: a second run changes nothing and says so', () => {
    const { repo } = freshClone();
    init(repo, '--upstream', UPSTREAM_URL);
    const before = snapshot(repo);
    const again = init(repo, '--upstream', UPSTREAM_URL);
    expect(again.changed).toBe(false);
    expect(new Set(again.actions.map((action) => action.status))).toEqual(new Set(['unchanged']));
    expect(snapshot(repo)).toBe(before);
    const text = repo.mirror(['init', '--upstream', UPSTREAM_URL]);
    expect(text.stdout).toMatch(/Nothing to change/);
    // without --upstream, the remote already there is used
    expect(init(repo).changed).toBe(false);
  });

  it('--dry-run prints what it would write and writes nothing', () => {
    const { repo } = freshClone();
    const before = snapshot(repo);
    const result = init(repo, '--upstream', UPSTREAM_URL, '--dry-run');
    expect(result.dryRun).toBe(true);
    expect(snapshot(repo)).toBe(before);
    expect(result.actions.filter((action) => action.kind !== 'hook').every((action) => action.status === 'would-create')).toBe(true);
    const workflow = result.actions.find((action) => action.target.endsWith('mirror-sync-down.yml'))!;
    expect(workflow.content).toContain('sync-down --ci');

    const text = repo.mirror(['init', '--upstream', UPSTREAM_URL, '--dry-run']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/would create +\.github\/workflows\/experiment\.yml/);
    expect(text.stdout).toContain('--- .mirror/policy.yml (would create)');
    expect(snapshot(repo)).toBe(before);
  });

  it('keeps a file someone edited, replaces it with --force, and upgrades an untouched older one', () => {
    const { repo } = freshClone();
    init(repo, '--upstream', UPSTREAM_URL);
    const path = '.github/workflows/mirror-sync-down.yml';
    const edited = read(repo, path).replace("'23 5 * * 1-5'", "'0 2 * * *'").replace('"23 5 * * 1-5"', '"0 2 * * *"');
    expect(edited).not.toBe(read(repo, path));
    writeFileSync(join(repo.dir, path), edited);

    const kept = init(repo, '--upstream', UPSTREAM_URL);
    expect(kept.actions.find((action) => action.target === path)!.status).toBe('kept');
    expect(kept.notes.join()).toMatch(/kept/);
    expect(read(repo, path)).toBe(edited);

    const dry = init(repo, '--upstream', UPSTREAM_URL, '--force', '--dry-run');
    expect(dry.actions.find((action) => action.target === path)!.status).toBe('would-update');
    expect(read(repo, path)).toBe(edited);

    const forced = init(repo, '--upstream', UPSTREAM_URL, '--force');
    expect(forced.actions.find((action) => action.target === path)!.status).toBe('updated');
    expect(read(repo, path)).not.toBe(edited);

    // a file an earlier mirror wrote and nobody touched is brought up to date
    writeFileSync(join(repo.dir, path), withMarker('name: an older template\non: workflow_dispatch\njobs: {}\n'));
    const upgraded = init(repo, '--upstream', UPSTREAM_URL);
    expect(upgraded.actions.find((action) => action.target === path)).toMatchObject({ status: 'updated' });
    expect(read(repo, path)).toContain('sync-down --ci');
  });

  it('keeps an existing policy and upstream remote that differ, and says why', () => {
    const { repo } = freshClone();
    repo.git('remote', 'add', 'upstream', 'https://forge.example.invalid/someone/else.git');
    repo.policy('remotes:\n  private: [origin]\nlimits:\n  oversize: refuse\n');
    const result = init(repo, '--upstream', UPSTREAM_URL);
    expect(result.actions.find((action) => action.kind === 'remote')).toMatchObject({ status: 'kept' });
    expect(result.actions.find((action) => action.kind === 'policy')).toMatchObject({ status: 'kept' });
    expect(repo.git('config', '--get', 'remote.upstream.url')).toMatch(/someone\/else/);
    expect(read(repo, '.mirror/policy.yml')).toContain('oversize: refuse');
  });

  it('appends to an existing .gitignore without touching its lines', () => {
    const { repo } = freshClone();
    repo.write('.gitignore', 'node_modules/\n.env\n');
    init(repo, '--upstream', UPSTREAM_URL);
    const text = read(repo, '.gitignore');
    expect(text.startsWith('node_modules/\n.env\n')).toBe(true);
    expect(text.match(/^\.env$/gm)).toHaveLength(1);
    expect(ignored(repo, '.env.staging')).toBe(true);
  });

  it('refuses without an upstream, and flags that belong to the public side', () => {
    const { repo } = freshClone();
    const none = repo.mirror(['init']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--upstream/);
    const sarif = repo.mirror(['init', '--upstream', UPSTREAM_URL, '--sarif']);
    expect(sarif.code).toBe(2);
    expect(sarif.stderr).toMatch(/--sarif/);
    expect(existsSync(join(repo.dir, '.mirror'))).toBe(false);
  });
});

describe('mirror init --fleet', () => {
  it("writes the control repository's policy and workflows, valid under the schema and actionlint; fleet commands run there", async () => {
    const { repo } = freshClone();
    const result = init(repo, '--fleet', '--label', 'eu', '--label', 'us');
    expect(result.role).toBe('fleet');
    expect(policyRemotes(repo)).toEqual({ origin: 'private' });
    expect(result.actions.filter((action) => action.kind === 'workflow').map((action) => [action.target, action.status])).toEqual([
      ['.github/workflows/mirror-fleet-status.yml', 'created'],
      ['.github/workflows/mirror-fleet-sync-down.yml', 'created'],
    ]);
    expect(existsSync(join(repo.dir, '.github/workflows/mirror-sync-down.yml'))).toBe(false);
    for (const name of ['mirror-fleet-status.yml', 'mirror-fleet-sync-down.yml']) {
      expect(await workflowProblems(read(repo, `.github/workflows/${name}`), { file: name }), name).toEqual([]);
    }
    expect(parse(read(repo, '.github/workflows/mirror-fleet-status.yml')).jobs.status.strategy.matrix.label).toEqual(['eu', 'us']);
    expect(result.notes).toContainEqual(expect.stringContaining('there is no .mirror/fleet.yml yet'));
    // origin is classed private, so fleet commands accept this checkout
    repo.write('.mirror/fleet.yml', 'version: 1\nupstream: { url: https://forge.example.invalid/acme/widget.git }\nmirrors:\n  - { name: acme, url: https://forge.example.invalid/acme/widget-acme.git, forge: github }\n');
    const check = repo.mirror(['fleet', 'check', '--json']);
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout).origin.class).toBe('private');
    expect(init(repo, '--fleet', '--label', 'eu', '--label', 'us').changed).toBe(false);
  });
});

describe('mirror init --public', () => {
  it('writes the guard workflow and a policy marking origin public, and installs the hooks', async () => {
    const { repo } = freshClone();
    const result = init(repo, '--public', '--sarif');
    expect(result.role).toBe('public');
    expect(policyRemotes(repo)).toEqual({ origin: 'public' });
    expect(existsSync(join(repo.dir, '.github/workflows/mirror-sync-down.yml'))).toBe(false);
    const text = read(repo, '.github/workflows/mirror-guard.yml');
    expect(await workflowProblems(text, { file: 'mirror-guard.yml' })).toEqual([]);
    const guard = parse(text);
    expect(guard.jobs.guard.steps.map((step: { uses?: string }) => step.uses)).toEqual(['actions/checkout@v4', 'mirror-cli/mirror@v1', 'github/codeql-action/upload-sarif@v3']);
    for (const hook of ['pre-push', 'pre-commit']) expect(read(repo, `.git/hooks/${hook}`)).toContain('mirror-hook');
    expect(ignored(repo, '.env')).toBe(true);

    // the hook now refuses private files toward origin
    repo.write('private/x.md', 'x\n').commit('Private');
    const push = repo.tryGit('push', 'origin', 'main');
    expect(push.code).not.toBe(0);
    expect(init(repo, '--public', '--sarif').changed).toBe(false);
  });

  it('--action-ref changes the uses: reference', () => {
    const { repo } = freshClone();
    init(repo, '--public', '--action-ref', 'acme/mirror-fork@0123456789abcdef0123456789abcdef01234567');
    expect(read(repo, '.github/workflows/mirror-guard.yml')).toContain('uses: acme/mirror-fork@0123456789abcdef0123456789abcdef01234567');
  });
});

describe('mirror init --forge forgejo', () => {
  it('writes the same under .forgejo/workflows, with a docker runner and no SARIF', async () => {
    const mirror = freshClone().repo;
    init(mirror, '--forge', 'forgejo', '--upstream', UPSTREAM_URL, '--runner-label', 'gpu');
    expect(existsSync(join(mirror.dir, '.github'))).toBe(false);
    const syncDown = read(mirror, '.forgejo/workflows/mirror-sync-down.yml');
    expect(parse(syncDown).jobs['sync-down']['runs-on']).toBe('docker');
    expect(parse(read(mirror, '.forgejo/workflows/experiment.yml')).jobs.experiment['runs-on']).toEqual(['gpu']);
    for (const name of ['mirror-sync-down.yml', 'experiment.yml']) {
      expect(await workflowProblems(read(mirror, `.forgejo/workflows/${name}`), { file: name, selfHostedLabels: ['docker', 'gpu'], forgejo: true }), name).toEqual([]);
    }

    const open = freshClone().repo;
    const result = init(open, '--public', '--forge', 'forgejo', '--sarif');
    expect(result.notes.join()).toMatch(/Forgejo has no code scanning/);
    const guard = read(open, '.forgejo/workflows/mirror-guard.yml');
    expect(guard).not.toMatch(/sarif/i);
    expect(await workflowProblems(guard, { file: 'mirror-guard.yml', selfHostedLabels: ['docker'], forgejo: true })).toEqual([]);
  });
});
