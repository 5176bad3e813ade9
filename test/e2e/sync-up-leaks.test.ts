import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkoutSnapshot, syncWorld, upstreamCommits } from '../helpers/sync-world.js';
import { awsAccessKeyId } from '../helpers/tokens.js';
import type { World } from '../helpers/world.js';

interface Planned {
  oid: string;
  subject: string;
  class: string;
  reasons: string[];
  replay: boolean;
}
const plan = (world: World, ...args: string[]) => {
  const run = world.repo.mirror(['sync-up', '--dry-run', '--json', ...args]);
  expect(run.code, run.stderr).toBe(0);
  return Object.fromEntries((JSON.parse(run.stdout).plan.commits as Planned[]).map((commit) => [commit.subject, commit]));
};
const upstreamLog = (world: World, ref = 'refs/remotes/upstream/mirror/sync-up') =>
  world.repo.git('log', '--format=%s', `refs/remotes/upstream/main..${ref}`).split('\n').filter(Boolean).reverse();
/** every path in every commit that reached the public upstream */
const upstreamPaths = (world: World) =>
  world.sandbox
    .git(world.upstream, ['log', '--all', '--raw', '--no-renames', '--format=', '-z'])
    .split('\0')
    .filter((token) => token && !token.startsWith(':'));

describe('sync-up: private files copied into a public path', () => {
  it('refuses a copy made in the commit that adds the private file, naming both paths, and publishes none of it', () => {
    const world = syncWorld();
    world.repo.write('src/a.js', 'a\n').commit('Add a');
    world.repo.write('private/customer.md', 'Acme pays 12k a year\n').write('docs/customer.md', 'Acme pays 12k a year\n').commit('Customer notes');
    const bySubject = plan(world);
    expect(bySubject['Customer notes']).toMatchObject({ class: 'blocked', replay: false });
    expect(bySubject['Customer notes']!.reasons.join()).toMatch(/public docs\/customer\.md has exactly the content of private private\/customer\.md/);

    const run = world.repo.mirror(['sync-up', '--no-pr']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(upstreamPaths(world)).toContain('src/a.js');
    expect(upstreamPaths(world).filter((path) => path.includes('customer'))).toEqual([]);
  });

  it('refuses a copy that differs only in whitespace (indentation, line ends, wrapping), from the parent or the same commit', () => {
    const world = syncWorld();
    world.repo.write('private/customer.md', 'Acme pays 12k a year\nfor the premium plan\n').commit('Customer');
    world.repo.write('docs/customer.md', '  Acme pays 12k a year   for the premium plan\r\n').commit('Copy, reformatted');
    world.repo.write('private/terms.md', 'Globex: net 90 days\n').write('docs/terms.txt', 'Globex:\tnet 90\ndays').commit('Terms, reformatted');
    world.repo.write('docs/other.md', 'Acme pays 13k a year for the premium plan\n').commit('Edited words');
    const bySubject = plan(world);
    expect(bySubject['Copy, reformatted']!.class).toBe('blocked');
    expect(bySubject['Copy, reformatted']!.reasons.join()).toMatch(/public docs\/customer\.md has the content \(up to whitespace\) of private private\/customer\.md/);
    expect(bySubject['Terms, reformatted']!.class).toBe('blocked');
    expect(bySubject['Terms, reformatted']!.reasons.join()).toMatch(/public docs\/terms\.txt .* private private\/terms\.md/);
    // the check is about copies, not likeness: other words are other content
    expect(bySubject['Edited words']!.class).toBe('public');
  });
});

describe('sync-up: workflows of the private side', () => {
  const selfHosted = 'name: bench\non: workflow_dispatch\njobs:\n  bench:\n    runs-on: [self-hosted, gpu]\n    steps:\n      - run: ./bench.sh\n';
  const withSecret = 'name: release\non: push\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n';
  const publicCi = 'name: ci\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n        env:\n          GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n';

  it('holds back the workflows mirror init writes, and any workflow on self-hosted runners or reading secrets; status lists sync.hold', () => {
    const world = syncWorld();
    const init = world.repo.mirror(['init', '--upstream', world.upstream]);
    expect(init.code, init.stdout + init.stderr).toBe(0);
    world.repo.git('add', '-A');
    world.repo.commit('Set up mirror');
    world.repo.write('.github/workflows/bench.yml', selfHosted).write('src/bench.js', 'bench\n').commit('Bench on our runner');
    world.repo.write('.forgejo/workflows/release.yaml', withSecret).commit('Release workflow');
    world.repo.write('.github/workflows/ci.yml', publicCi).commit('CI');
    const bySubject = plan(world);
    expect(bySubject['Set up mirror']!.reasons.join()).toMatch(/holds back \.github\/workflows\/experiment\.yml: listed in sync\.hold/);
    expect(bySubject['Set up mirror']!.reasons.join()).toMatch(/holds back \.github\/workflows\/mirror-sync-down\.yml: listed in sync\.hold/);
    expect(bySubject['Bench on our runner']).toMatchObject({ class: 'mixed', replay: true });
    expect(bySubject['Bench on our runner']!.reasons.join()).toMatch(/holds back \.github\/workflows\/bench\.yml: a workflow that job bench runs on \[self-hosted, gpu\]/);
    expect(bySubject['Release workflow']).toMatchObject({ class: 'private', replay: false });
    expect(bySubject['Release workflow']!.reasons.join()).toMatch(/reads secrets\.NPM_TOKEN.*sync\.allowWorkflows/);
    expect(bySubject['CI']).toMatchObject({ class: 'public', replay: true });

    const status = world.repo.mirror(['status']);
    expect(status.stdout).toContain('never proposed upstream (sync.hold): .github/workflows/mirror-sync-down.yml, .github/workflows/experiment.yml');
    expect(status.stdout).toMatch(/held back: \.forgejo\/workflows\/release\.yaml \(a workflow that reads secrets\.NPM_TOKEN/);
    const json = JSON.parse(world.repo.mirror(['status', '--json']).stdout);
    expect(json.hold).toContain('.forgejo/workflows/experiment.yml');

    const run = world.repo.mirror(['sync-up', '--no-pr']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const paths = upstreamPaths(world);
    expect(paths).toEqual(expect.arrayContaining(['src/bench.js', '.github/workflows/ci.yml']));
    expect(paths.filter((path) => /workflows\/(experiment|mirror-sync-down|bench|release)/.test(path))).toEqual([]);
  });

  it('proposes a workflow the policy allows by path, and lets a repository edit sync.hold', () => {
    const world = syncWorld({
      policy: 'remotes:\n  private: [origin]\nsync:\n  allowWorkflows: [".github/workflows/release.yml"]\n  hold:\n    add: ["docs/internal/**"]\n    remove: [".github/workflows/experiment.yml"]\n',
    });
    world.repo.write('.github/workflows/release.yml', withSecret).commit('Release');
    world.repo.write('.github/workflows/experiment.yml', publicCi).commit('Public experiment');
    world.repo.write('docs/internal/plan.md', 'plan\n').commit('Internal plan');
    const bySubject = plan(world);
    expect(bySubject['Release']).toMatchObject({ class: 'public', replay: true });
    expect(bySubject['Public experiment']).toMatchObject({ class: 'public', replay: true });
    expect(bySubject['Internal plan']!.class).toBe('private');
    const bad = world.repo.mirror(['policy', 'check'], { env: {} });
    expect(bad.code, bad.stdout + bad.stderr).toBe(0);
  });

  it('refuses a policy that removes a held path it does not have, or gives an invalid glob', () => {
    for (const [sync, field] of [
      ['  hold:\n    remove: [".github/workflows/nope.yml"]\n', /sync\.hold\.remove\[0\].*nope\.yml/],
      ['  allowWorkflows: ["/abs.yml"]\n', /sync\.allowWorkflows\[0\]: invalid glob/],
    ] as const) {
      const world = syncWorld({ policy: `remotes:\n  private: [origin]\nsync:\n${sync}` });
      const run = world.repo.mirror(['sync-up', '--dry-run']);
      expect(run.code).toBe(2);
      expect(run.stdout + run.stderr).toMatch(field);
    }
  });
});

describe('sync-up: the name of the branch it pushes', () => {
  const remoteBranches = (world: World) => world.sandbox.git(world.upstream, ['for-each-ref', '--format=%(refname)']);

  it('refuses a --branch carrying a private identifier or a secret (exit 2, the name never printed, nothing pushed or changed)', () => {
    const world = syncWorld({ env: { MIRROR_PRIVATE_IDENTIFIERS: 'customer=Globex' } });
    world.repo.write('src/a.js', 'a\n').commit('Add a');
    const before = [checkoutSnapshot(world), world.repo.git('for-each-ref'), remoteBranches(world)].join('\n');
    const key = awsAccessKeyId();
    for (const [branch, said] of [['customer-globex-fix', /private identifier \[customer\]/], ['v1.0_GLOBEX', /private identifier \[customer\]/], [`fix/${key}`, /a secret \(/]] as const) {
      for (const args of [['sync-up', '--no-pr', '--branch', branch], ['sync-up', '--dry-run', '--json', '--branch', branch]]) {
        const run = world.repo.mirror(args);
        expect(run.code, run.stdout + run.stderr).toBe(2);
        expect(run.stdout + run.stderr).toMatch(said);
        expect((run.stdout + run.stderr).toLowerCase()).not.toContain('globex');
        expect(run.stdout + run.stderr).not.toContain(key);
      }
    }
    expect([checkoutSnapshot(world), world.repo.git('for-each-ref'), remoteBranches(world)].join('\n')).toBe(before);
  });

  it('without --branch, picks the first default name that carries no private identifier', () => {
    const world = syncWorld({ env: { MIRROR_PRIVATE_IDENTIFIERS: 'project=Sync' } });
    world.repo.write('src/a.js', 'a\n').commit('Add a');
    const run = world.repo.mirror(['sync-up', '--no-pr']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('pushed mirror/proposal to upstream');
    expect(remoteBranches(world)).toContain('refs/heads/mirror/proposal');
    expect(remoteBranches(world).toLowerCase()).not.toContain('sync');
  });
});

describe('sync-up: skipped commits are remembered', () => {
  /** "Tidy settings" rewrites the line a blocked commit added: without it, it no longer applies */
  const dependentWorld = () => {
    const world = syncWorld();
    world.repo.write('src/settings.js', `export const key = "${awsAccessKeyId()}";\n`).commit('Add settings');
    world.repo.write('src/settings.js', 'export const key = process.env.KEY;\nexport const region = "eu";\n').commit('Tidy settings');
    world.repo.write('src/other.js', 'o\n').commit('Other work');
    return world;
  };

  it('after mirror skip, later runs leave the commit out without pausing, status lists it, --retry-skipped tries it again', () => {
    const world = dependentWorld();
    expect(world.repo.mirror(['sync-up', '--no-pr']).code).toBe(3);
    const skipped = world.repo.mirror(['skip']);
    expect(skipped.code, skipped.stdout + skipped.stderr).toBe(0);
    const tidy = world.repo.git('rev-parse', 'main~1');
    const record = JSON.parse(readFileSync(join(world.repo.dir, '.git', 'mirror', 'skipped.json'), 'utf8'));
    expect(record.skipped).toEqual([{ oid: tidy, reason: expect.stringMatching(/"Tidy settings" no longer applies/), date: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);

    world.repo.write('src/more.js', 'm\n').commit('More work');
    const again = world.repo.mirror(['sync-up', '--no-pr']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/skipped\s+[0-9a-f]{10}\s+Tidy settings/);
    world.repo.git('fetch', '-q', 'upstream');
    expect(upstreamLog(world)).toEqual(['Other work', 'More work']);
    expect(plan(world)['Tidy settings']).toMatchObject({ class: 'skipped', replay: false });

    const status = world.repo.mirror(['status']);
    expect(status.stdout).toMatch(new RegExp(`skipped: ${tidy.slice(0, 10)} left out on \\d{4}-\\d\\d-\\d\\d \\(.*Tidy settings" no longer applies`));
    expect(status.stdout).toMatch(/1 skipped/);

    const retry = world.repo.mirror(['sync-up', '--no-pr', '--retry-skipped']);
    expect(retry.code, retry.stdout + retry.stderr).toBe(3);
    expect(retry.stdout).toMatch(/"Tidy settings" no longer applies/);
    expect(world.repo.mirror(['abort']).code).toBe(0);
    // an aborted retry forgets nothing
    expect(plan(world)['Tidy settings']!.class).toBe('skipped');
  });

  it('--skip leaves a commit out before any pause, and a dry run remembers nothing', () => {
    const world = dependentWorld();
    expect(plan(world, '--skip', 'main~1')['Tidy settings']!.class).toBe('skipped');
    expect(existsSync(join(world.repo.dir, '.git', 'mirror', 'skipped.json'))).toBe(false);
    const run = world.repo.mirror(['sync-up', '--no-pr', '--skip', 'main~1']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(plan(world)['Tidy settings']).toMatchObject({ class: 'skipped', reasons: [expect.stringMatching(/left out with sync-up --skip/)] });
    expect(world.repo.mirror(['sync-up', '--no-pr', '--skip', 'no-such-commit']).code).toBe(2);
  });
});

describe('sync-up --squash-fixed', () => {
  it('publishes a blocked commit and the commit that removes what blocked it as one clean commit', () => {
    const world = syncWorld();
    const key = awsAccessKeyId();
    world.repo.write('src/settings.js', `export const key = "${key}";\nexport const region = "us";\n`).commit('Add settings\n\nRegion and key.');
    world.repo.write('src/settings.js', 'export const key = process.env.KEY;\nexport const region = "us";\n').commit('Read the key from the environment');
    world.repo.write('src/other.js', `const k = "${awsAccessKeyId()}";\n`).commit('Other settings');
    world.repo.write('src/more.js', 'm\n').commit('More work');

    const without = plan(world);
    expect(without['Add settings']!.class).toBe('blocked');
    const bySubject = plan(world, '--squash-fixed');
    expect(bySubject['Add settings']).toMatchObject({ class: 'blocked', replay: false });
    expect(bySubject['Add settings']!.reasons.join()).toMatch(/goes up as one commit with [0-9a-f]{10}/);
    expect(bySubject['Read the key from the environment']).toMatchObject({ class: 'public', replay: true });
    // the next commit does not remove the secret: that pair stays apart
    expect(bySubject['Other settings']!.class).toBe('blocked');
    expect(bySubject['Other settings']!.reasons.join()).toMatch(/not squashed with [0-9a-f]{10}.*AKIA\*+ is still in src\/other\.js:1/);

    const run = world.repo.mirror(['sync-up', '--no-pr', '--squash-fixed']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    world.repo.git('fetch', '-q', 'upstream');
    expect(upstreamLog(world)).toEqual(['Add settings', 'More work']);
    const squashed = world.repo.git('log', '-1', '--format=%B', 'refs/remotes/upstream/mirror/sync-up~1');
    expect(squashed).toMatch(/^Add settings\n\nRegion and key\.\n\nRead the key from the environment/);
    expect(world.repo.git('show', 'refs/remotes/upstream/mirror/sync-up:src/settings.js')).toContain('process.env.KEY');
    expect(world.sandbox.git(world.upstream, ['log', '--all', '-p', '--format=%B'])).not.toContain(key);
    expect(upstreamPaths(world)).not.toContain('src/other.js');
  });

  it('squashes in the worktree replay too, when the pair needs a content merge', () => {
    const world = syncWorld();
    const key = awsAccessKeyId();
    world.repo.write('src/app.js', `export const app = 1;\nconst key = "${key}";\n`).commit('Wire the key');
    world.repo.write('src/app.js', 'export const app = 1;\nconst key = process.env.KEY;\n').commit('Key from the environment');
    upstreamCommits(world, [{ files: { 'src/app.js': '// the app\nexport const app = 1;\n' } }], { fetch: true });
    const run = world.repo.mirror(['sync-up', '--no-pr', '--no-fetch', '--squash-fixed']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    world.repo.git('fetch', '-q', 'upstream');
    expect(upstreamLog(world)).toEqual(['Wire the key']);
    expect(world.repo.git('show', 'refs/remotes/upstream/mirror/sync-up:src/app.js')).toBe('// the app\nexport const app = 1;\nconst key = process.env.KEY;');
    expect(world.sandbox.git(world.upstream, ['log', '--all', '-p', '--format=%B'])).not.toContain(key);
  });
});
