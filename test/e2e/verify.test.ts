import { describe, expect, it } from 'vitest';
import { syncWorld } from '../helpers/sync-world.js';
import { awsAccessKeyId } from '../helpers/tokens.js';
import type { World } from '../helpers/world.js';

function pushUpstream(world: World, files: Record<string, string>, message: string, ...flags: string[]): void {
  const maintainer = world.sandbox.repo(`maintainer-${Math.random().toString(36).slice(2)}`);
  maintainer.git('remote', 'add', 'origin', world.upstream);
  maintainer.git('fetch', '-q', 'origin');
  maintainer.git('checkout', '-q', '-b', 'main', 'origin/main');
  for (const [path, content] of Object.entries(files)) maintainer.write(path, content);
  maintainer.commit(message);
  maintainer.git('push', '-q', ...flags, 'origin', 'main');
  world.repo.git('fetch', '-q', 'upstream');
}

describe('mirror verify', () => {
  it('finds what should never have reached upstream, in its whole history', () => {
    const world = syncWorld();
    const key = awsAccessKeyId();
    pushUpstream(world, { 'private/leaked.md': 'customer\n', 'src/cfg.js': `k = "${key}"\n` }, 'Oops');
    pushUpstream(world, { 'src/clean.js': 'c\n' }, 'Later work');
    const run = world.repo.mirror(['verify', '--json']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    const kinds = result.report.violations.map((v: { type: string }) => v.type).sort();
    expect(kinds).toEqual(['private-path', 'secret']);
    expect(result.recorded).toBe(false);
    expect(run.stdout).not.toContain(key);
  });

  it('records the verified point after a clean run and starts from it next time', () => {
    const world = syncWorld();
    const first = JSON.parse(world.repo.mirror(['verify', '--json']).stdout);
    expect(first.recorded).toBe(true);
    expect(first.report.stats.commits).toBeGreaterThan(0);
    pushUpstream(world, { 'src/new.js': 'n\n' }, 'New upstream work');
    const second = JSON.parse(world.repo.mirror(['verify', '--json']).stdout);
    expect(second.since).toBeDefined();
    expect(second.report.stats.commits).toBe(1);
    const full = JSON.parse(world.repo.mirror(['verify', '--json', '--full', '--no-record']).stdout);
    expect(full.report.stats.commits).toBeGreaterThan(1);
  });

  it('reports drift and what explains it', () => {
    const world = syncWorld();
    world.repo.write('src/mine.js', 'waiting to go up\n').commit('Mirror work');
    world.repo.write('private/p.md', 'p\n').commit('Private');
    pushUpstream(world, { 'src/theirs.js': 'new upstream\n' }, 'Upstream work');
    world.repo.git('update-ref', 'refs/heads/side', 'HEAD');
    world.repo.write('src/app.js', 'export const app = "hand-edited";\n');
    world.repo.git('add', '-A');
    world.repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'Edit app', '--no-verify');
    const run = world.repo.mirror(['verify', '--json', '--fail-on-drift']);
    const drift = JSON.parse(run.stdout).drift as { path: string; kind: string; explanation: string }[];
    const byPath = Object.fromEntries(drift.map((entry) => [entry.path, entry]));
    expect(byPath['src/mine.js']).toMatchObject({ kind: 'mirror-only', explanation: 'sync-up' });
    expect(byPath['src/theirs.js']).toMatchObject({ kind: 'upstream-only', explanation: 'sync-down' });
    expect(byPath['src/app.js']).toMatchObject({ kind: 'different', explanation: 'sync-up' });
    expect(byPath['private/p.md']).toBeUndefined();
    expect(run.code).toBe(0);
  });

  it('explains drift held back by sync-up, and flags drift made outside the flow', () => {
    const world = syncWorld();
    world.repo.write('src/cfg.js', `k = "${awsAccessKeyId()}"\n`).commit('Blocked: carries a key');
    pushUpstream(world, { 'src/u.js': 'u\n' }, 'Upstream work');
    // an edit made inside a merge commit: no candidate commit explains it
    world.repo.git('merge', '-q', '--no-commit', 'upstream/main');
    world.repo.write('README.md', 'edited during the merge\n');
    world.repo.git('add', '-A');
    world.repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '--no-edit');
    const run = world.repo.mirror(['verify', '--json', '--fail-on-drift']);
    const drift = JSON.parse(run.stdout).drift as { path: string; explanation: string }[];
    const byPath = Object.fromEntries(drift.map((entry) => [entry.path, entry.explanation]));
    expect(byPath['src/cfg.js']).toBe('held-back');
    expect(byPath['README.md']).toBe('unexplained');
    expect(run.code).toBe(1);
    expect(world.repo.mirror(['verify']).code).toBe(0);
  });
});
