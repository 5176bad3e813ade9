import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sandbox, type Repo } from '../helpers/sandbox.js';
import { awsAccessKeyId, slackBotToken } from '../helpers/tokens.js';

const ZERO = '0'.repeat(40);

/**
 * A public repository on a "forge" (a bare repository), a developer pushing to
 * it, and the CI job's own clone of it, as actions/checkout makes one.
 */
function publicProject(options: { policy?: string | null } = {}) {
  const sandbox = new Sandbox();
  const forge = sandbox.bare('public');
  const dev = sandbox.repo('dev');
  dev.git('remote', 'add', 'origin', forge);
  if (options.policy !== null) dev.policy(options.policy ?? 'remotes:\n  public: [origin]\n');
  dev.write('README.md', '# public\n').write('src/app.js', 'export const a = 1;\n').commit('Initial');
  dev.git('push', '-q', 'origin', 'main');
  /** the CI job's clone; `branch` clones that branch alone, as actions/checkout does by default */
  const clone = (options: { depth?: number; branch?: string } = {}): Repo => {
    const name = `ci-${Math.random().toString(36).slice(2)}`;
    const shape = options.branch ? ['--single-branch', '--branch', options.branch] : options.depth ? ['--no-single-branch'] : [];
    const args = ['clone', '-q', '--no-local', ...(options.depth ? ['--depth', String(options.depth)] : []), ...shape, `file://${forge}`, join(sandbox.root, name)];
    sandbox.git(sandbox.root, args);
    const repo = sandbox.repo(name);
    return repo;
  };
  const run = (repo: Repo, event: string, payload: object, args: string[] = [], env: NodeJS.ProcessEnv = {}) => {
    const eventFile = join(sandbox.root, `${event}-${Math.random().toString(36).slice(2)}.json`);
    const summary = join(sandbox.root, `summary-${Math.random().toString(36).slice(2)}.md`);
    writeFileSync(eventFile, JSON.stringify(payload));
    writeFileSync(summary, '');
    const result = repo.mirror(['guard', 'ci', ...args], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: event, GITHUB_EVENT_PATH: eventFile, GITHUB_STEP_SUMMARY: summary, GITHUB_SHA: repo.head(), ...env },
    });
    return { ...result, summary: readFileSync(summary, 'utf8') };
  };
  return { sandbox, forge, dev, clone, run };
}

describe('mirror guard ci (GitHub/Forgejo Actions event payloads)', () => {
  it('pull request: checks merge-base..head with the base commit\'s policy, annotates, summarises, writes SARIF', () => {
    const p = publicProject();
    const base = p.dev.head();
    p.dev.git('switch', '-q', '-c', 'feature');
    const key = awsAccessKeyId();
    p.dev.write('src/config.js', `export const id = "${key}";\n`).commit('Config');
    // the pull request also tries to switch the guard off
    p.dev.policy('remotes:\n  private: [origin]\nzones: []\n').write('private/notes.md', 'n\n').commit('Loosen the policy');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'feature');
    const ci = p.clone();
    ci.git('checkout', '-q', 'origin/feature');
    const sarif = join(p.sandbox.root, 'out.sarif');
    const result = p.run(ci, 'pull_request', { number: 7, pull_request: { base: { sha: base }, head: { sha: p.dev.head() } } }, ['--sarif', sarif]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error file=src\/config\.js,line=1,col=\d+,title=mirror%3A secret::/m);
    expect(result.stdout).toMatch(/^::error file=private\/notes\.md,title=mirror%3A private-path::/m);
    expect(result.stdout).toMatch(/github pull request #7/);
    expect(result.stdout).toMatch(new RegExp(`policy +default \\+ ${base.slice(0, 10)}:\\.mirror/policy\\.yml`));
    expect(result.summary).toMatch(/## mirror guard: ❌ 2 violations/);
    expect(result.summary).toContain('| secret | `src/config.js:1');
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    expect(log.runs[0].results).toHaveLength(2);
    for (const text of [result.stdout, result.stderr, result.summary, readFileSync(sarif, 'utf8')]) expect(text).not.toContain(key);
  });

  it('push: before..after, only the new commits', () => {
    const p = publicProject();
    const before = p.dev.head();
    p.dev.write('src/b.js', 'b\n').commit('B');
    p.dev.write('src/c.js', 'c\n').commit('C');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'main');
    const ci = p.clone();
    const result = p.run(ci, 'push', { ref: 'refs/heads/main', before, after: p.dev.head(), created: false, forced: false, deleted: false });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/scanned +2 commits/);
    expect(result.summary).toMatch(/✅ clean/);
  });

  it('new branch: everything not already on the default branch', () => {
    const p = publicProject();
    p.dev.git('switch', '-q', '-c', 'topic');
    p.dev.write('src/t1.js', 't1\n').commit('T1');
    p.dev.write('docs/app.local.md', 'local\n').commit('T2');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'topic');
    const ci = p.clone();
    const result = p.run(ci, 'push', { ref: 'refs/heads/topic', before: ZERO, after: p.dev.head(), created: true, forced: false, deleted: false, repository: { default_branch: 'main' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/scanned +2 commits/);
    expect(result.stdout).toContain('docs/app.local.md');
  });

  it('new branch: its name is checked for secrets and identifiers, and shown masked in the log and summary', () => {
    const p = publicProject();
    const key = awsAccessKeyId();
    const branch = `globex-debug-${key}`;
    p.dev.git('switch', '-q', '-c', branch);
    p.dev.write('src/t1.js', 't1\n').commit('T1');
    p.dev.git('push', '-q', '--no-verify', 'origin', branch);
    const ci = p.clone();
    const payload = { ref: `refs/heads/${branch}`, before: ZERO, after: p.dev.head(), created: true, forced: false, deleted: false, repository: { default_branch: 'main' } };
    const result = p.run(ci, 'push', payload, [], { MIRROR_PRIVATE_IDENTIFIERS: 'customer=Globex' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/name of ref refs\/heads\/\[customer\]-debug-AKIA\*+…/);
    expect(result.stdout).toContain('private identifier "customer"');
    const everything = result.stdout + result.stderr + result.summary;
    expect(everything).not.toContain(key.slice(4));
    expect(everything.toLowerCase()).not.toContain('globex');
  });

  it('force push: the rewritten commits are checked, not only before..after', () => {
    const p = publicProject();
    p.dev.write('src/x.js', 'x\n').commit('X');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'main');
    const before = p.dev.head();
    p.dev.git('reset', '-q', '--hard', 'HEAD~1');
    p.dev.write('src/x.js', `token = "${slackBotToken()}"\n`).commit('X again');
    p.dev.git('push', '-q', '--force', '--no-verify', 'origin', 'main');
    const ci = p.clone();
    const result = p.run(ci, 'push', { ref: 'refs/heads/main', before, after: p.dev.head(), created: false, forced: true, deleted: false });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('src/x.js:1');
  });

  it('tag: an annotated tag\'s message is checked too', () => {
    const p = publicProject();
    p.dev.git('tag', '-a', 'v1', '-m', `Release\n\nci token ${slackBotToken()}`);
    p.dev.git('push', '-q', '--no-verify', 'origin', 'v1');
    const ci = p.clone();
    const tag = ci.git('rev-parse', 'refs/tags/v1');
    const result = p.run(ci, 'push', { ref: 'refs/tags/v1', before: ZERO, after: tag, created: true, forced: false, deleted: false });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/message of tag/);
  });

  it('a deleted branch publishes nothing', () => {
    const p = publicProject();
    const ci = p.clone();
    const result = p.run(ci, 'push', { ref: 'refs/heads/gone', before: p.dev.head(), after: ZERO, created: false, forced: false, deleted: true });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/a deletion publishes nothing/);
  });

  it('notes and the summary name a branch without its private identifiers', () => {
    const p = publicProject();
    const ci = p.clone();
    const env = { MIRROR_PRIVATE_IDENTIFIERS: 'customer=Acme' };
    const result = p.run(ci, 'push', { ref: 'refs/heads/acme-hotfix', before: p.dev.head(), after: ZERO, created: false, forced: false, deleted: true }, [], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/\[customer\]-hotfix was deleted/);
    expect(result.summary).toMatch(/\[customer\]-hotfix/);
    expect([result.stdout, result.stderr, result.summary].join('\n').toLowerCase()).not.toContain('acme');
  });

  it('deepens a shallow clone that lacks the base', () => {
    const p = publicProject();
    const before = p.dev.head();
    for (const n of [1, 2, 3]) p.dev.write(`src/n${n}.js`, `${n}\n`).commit(`N${n}`);
    p.dev.git('push', '-q', '--no-verify', 'origin', 'main');
    const ci = p.clone({ depth: 1 });
    expect(ci.git('rev-parse', '--is-shallow-repository')).toBe('true');
    const result = p.run(ci, 'push', { ref: 'refs/heads/main', before, after: p.dev.head(), created: false, forced: false, deleted: false });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/scanned +3 commits/);
  });

  it('fails, never passes, when a shallow clone cannot be deepened', () => {
    const p = publicProject();
    const before = p.dev.head();
    p.dev.write('src/n.js', 'n\n').commit('N');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'main');
    const ci = p.clone({ depth: 1 });
    ci.git('remote', 'set-url', 'origin', join(p.sandbox.root, 'gone.git'));
    const result = p.run(ci, 'push', { ref: 'refs/heads/main', before, after: ci.head(), created: false, forced: false, deleted: false });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/fetch-depth: 0/);
  });

  it('fails when the default branch cannot be fetched, rather than judging by a weaker policy', () => {
    const p = publicProject();
    p.dev.git('switch', '-q', '-c', 'topic');
    p.dev.policy('remotes:\n  private: [origin]\n').write('private/notes.md', 'n\n').commit('Loosen the policy');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'topic');
    // actions/checkout of the branch alone: the default branch is not in the clone, and the forge is unreachable
    const ci = p.clone({ branch: 'topic' });
    ci.git('remote', 'set-url', 'origin', join(p.sandbox.root, 'gone.git'));
    const result = p.run(ci, 'push', { ref: 'refs/heads/topic', before: ZERO, after: ci.head(), created: true, forced: false, deleted: false, repository: { default_branch: 'main' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refs\/heads\/main from origin is not in this clone/);
  });

  it('a new branch in a shallow clone that cannot be deepened fails instead of scanning part of the history', () => {
    const p = publicProject();
    p.dev.git('switch', '-q', '-c', 'topic');
    p.dev.write('src/t.js', 't\n').commit('T');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'topic');
    const ci = p.clone({ depth: 1 });
    ci.git('remote', 'set-url', 'origin', join(p.sandbox.root, 'gone.git'));
    const result = p.run(ci, 'push', { ref: 'refs/heads/topic', before: ZERO, after: ci.git('rev-parse', 'origin/topic'), created: true, forced: false, deleted: false });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/shallow/);
  });
});

const repository = { default_branch: 'main' };

describe('mirror guard ci: what a new branch, a force push or a tag answers for', () => {
  it('the same commits pushed to two new branches at once are checked in both runs, neither excuses the other', () => {
    const p = publicProject();
    p.dev.git('switch', '-q', '-c', 'topic');
    p.dev.write('src/config.js', `token = "${slackBotToken()}"\n`).commit('Config');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'HEAD:a', 'HEAD:b');
    const ci = p.clone();
    for (const branch of ['a', 'b']) {
      const result = p.run(ci, 'push', { ref: `refs/heads/${branch}`, before: ZERO, after: p.dev.head(), created: true, forced: false, deleted: false, repository });
      expect(result.code, `${branch}: ${result.stderr}`).toBe(1);
      expect(result.stdout).toContain('src/config.js:1');
      expect(result.stderr).toMatch(/not already on main/);
    }
  });

  it('a new branch made from the default branch has nothing of its own to answer for', () => {
    const p = publicProject();
    p.dev.git('push', '-q', '--no-verify', 'origin', 'HEAD:copy');
    const ci = p.clone();
    const result = p.run(ci, 'push', { ref: 'refs/heads/copy', before: ZERO, after: p.dev.head(), created: true, forced: false, deleted: false, repository });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/scanned +0 blobs/);
  });

  it('the first push of the default branch checks everything it reaches', () => {
    const p = publicProject();
    const ci = p.clone();
    const result = p.run(ci, 'push', { ref: 'refs/heads/main', before: ZERO, after: p.dev.head(), created: true, forced: false, deleted: false, repository });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/scanned +1 commit,/);
    expect(result.stderr).toMatch(/pushed commit's own \.mirror\/policy\.yml is used/);
  });

  it('a force push of a branch is not excused by another branch carrying the same commits', () => {
    const p = publicProject();
    p.dev.git('switch', '-q', '-c', 'topic');
    p.dev.write('src/t.js', 't\n').commit('T');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'topic');
    const before = p.dev.head();
    p.dev.git('reset', '-q', '--hard', 'main');
    p.dev.write('src/t.js', `token = "${slackBotToken()}"\n`).commit('T again');
    p.dev.git('push', '-q', '--force', '--no-verify', 'origin', 'HEAD:topic', 'HEAD:other');
    const ci = p.clone();
    const result = p.run(ci, 'push', { ref: 'refs/heads/topic', before, after: p.dev.head(), created: false, forced: true, deleted: false, repository });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('src/t.js:1');
    expect(result.stderr).toMatch(/not already on the previous tip or main/);
  });

  it('a tag answers for what the default branch does not have, not what other branches have', () => {
    const p = publicProject();
    p.dev.git('switch', '-q', '-c', 'topic');
    p.dev.write('private/p.md', 'p\n').commit('P');
    p.dev.git('tag', 'v2');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'topic', 'v2');
    const ci = p.clone();
    const result = p.run(ci, 'push', { ref: 'refs/tags/v2', before: ZERO, after: p.dev.head(), created: true, forced: false, deleted: false, repository });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('private/p.md');
  });
});

describe('mirror guard ci: the policy comes from a commit the run cannot change', () => {
  const loosen = 'remotes:\n  private: [origin]\nzones: []\nallowlist:\n  paths: ["**"]\n';

  it('a push to a branch cannot weaken its own policy, nor an earlier push of the same branch weaken it', () => {
    const p = publicProject();
    const main = p.dev.head();
    p.dev.git('switch', '-q', '-c', 'topic');
    p.dev.policy(loosen).commit('Loosen the policy');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'topic');
    const loosened = p.dev.head();
    p.dev.write('private/notes.md', 'n\n').write('src/k.js', `token = "${slackBotToken()}"\n`).commit('Notes');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'topic');
    const ci = p.clone();
    ci.git('checkout', '-q', p.dev.head()); // as actions/checkout does: the pushed commit, with its own policy
    const result = p.run(ci, 'push', { ref: 'refs/heads/topic', before: loosened, after: p.dev.head(), created: false, forced: false, deleted: false, repository });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('private/notes.md');
    expect(result.stdout).toContain('src/k.js:1');
    expect(result.stdout).toMatch(new RegExp(`policy +default \\+ ${main.slice(0, 10)}:\\.mirror/policy\\.yml`));
  });

  it('a push to the default branch is judged by its previous tip\'s policy', () => {
    const p = publicProject();
    const before = p.dev.head();
    p.dev.policy(loosen).write('private/notes.md', 'n\n').commit('Loosen and publish');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'main');
    const ci = p.clone();
    ci.git('checkout', '-q', p.dev.head()); // as actions/checkout does: the pushed commit, with its own policy
    const result = p.run(ci, 'push', { ref: 'refs/heads/main', before, after: p.dev.head(), created: false, forced: false, deleted: false, repository });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('private/notes.md');
    expect(result.stdout).toMatch(new RegExp(`policy +default \\+ ${before.slice(0, 10)}:\\.mirror/policy\\.yml`));
  });

  it('a tag is judged by the default branch\'s policy', () => {
    const p = publicProject();
    p.dev.git('switch', '-q', '-c', 'release');
    p.dev.policy(loosen).write('private/notes.md', 'n\n').commit('Loosen');
    p.dev.git('tag', 'v3');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'v3');
    const ci = p.clone();
    ci.git('checkout', '-q', p.dev.head()); // as actions/checkout does: the pushed commit, with its own policy
    const result = p.run(ci, 'push', { ref: 'refs/tags/v3', before: ZERO, after: p.dev.head(), created: true, forced: false, deleted: false, repository });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('private/notes.md');
  });

  it('a shallow clone is deepened before the base commit\'s policy is read, so the repository\'s own rules apply', () => {
    const p = publicProject({ policy: 'remotes:\n  public: [origin]\nzones:\n  add:\n    - name: plans\n      include: ["plans/**"]\n' });
    const base = p.dev.head();
    p.dev.git('switch', '-q', '-c', 'feature');
    p.dev.write('plans/roadmap.md', 'r\n').commit('Roadmap');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'feature');
    const ci = p.clone({ depth: 1, branch: 'feature' });
    expect(() => ci.git('cat-file', '-e', base)).toThrow();
    const result = p.run(ci, 'pull_request', { number: 9, pull_request: { base: { sha: base }, head: { sha: p.dev.head() } } });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('plans/roadmap.md');
    expect(result.stdout).toMatch(new RegExp(`policy +default \\+ ${base.slice(0, 10)}:\\.mirror/policy\\.yml`));
  });

  it('fails, never falls back to the default policy, when the base commit cannot be fetched', () => {
    const p = publicProject({ policy: 'remotes:\n  public: [origin]\nzones:\n  add:\n    - name: plans\n      include: ["plans/**"]\n' });
    const base = p.dev.head();
    p.dev.git('switch', '-q', '-c', 'feature');
    p.dev.write('plans/roadmap.md', 'r\n').commit('Roadmap');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'feature');
    const ci = p.clone({ depth: 1, branch: 'feature' });
    ci.git('remote', 'set-url', 'origin', join(p.sandbox.root, 'gone.git'));
    const result = p.run(ci, 'pull_request', { number: 9, pull_request: { base: { sha: base }, head: { sha: p.dev.head() } } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/base commit/);
    expect(result.stderr).toMatch(/fetch-depth: 0/);
  });

  it('a base commit without a policy file means the default policy, and the run says so', () => {
    const p = publicProject({ policy: null });
    const base = p.dev.head();
    p.dev.git('switch', '-q', '-c', 'feature');
    p.dev.policy(loosen).write('private/notes.md', 'n\n').commit('Policy');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'feature');
    const ci = p.clone({ depth: 1, branch: 'feature' });
    const result = p.run(ci, 'pull_request', { pull_request: { base: { sha: base }, head: { sha: p.dev.head() } } });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('private/notes.md');
    expect(result.stderr).toMatch(new RegExp(`${base.slice(0, 10)} has no \\.mirror/policy\\.yml, so the default policy judges this run`));
  });
});

describe('mirror guard ci (GitLab CI variables and overrides)', () => {
  it('merge request: CI_MERGE_REQUEST_DIFF_BASE_SHA..CI_COMMIT_SHA', () => {
    const p = publicProject();
    const base = p.dev.head();
    p.dev.git('switch', '-q', '-c', 'mr');
    p.dev.write('private/p.md', 'p\n').commit('Private');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'mr');
    const ci = p.clone();
    ci.git('checkout', '-q', 'origin/mr');
    const result = ci.mirror(['guard', 'ci'], {
      env: { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_DIFF_BASE_SHA: base, CI_COMMIT_SHA: ci.head(), CI_MERGE_REQUEST_IID: '3' },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/gitlab pull request #3/);
    expect(result.stdout).toContain('private/p.md');
    expect(result.stdout).not.toMatch(/^::error/m);
  });

  it('tag pipeline: the annotated tag object is read from refs/tags/<tag>, so its message is checked', () => {
    const p = publicProject();
    p.dev.git('tag', '-a', 'v1', '-m', `Release\n\nci token ${slackBotToken()}`);
    p.dev.git('push', '-q', '--no-verify', 'origin', 'v1');
    const ci = p.clone();
    ci.git('tag', '-d', 'v1'); // the runner's clone need not have it: it is fetched
    const result = ci.mirror(['guard', 'ci'], {
      env: { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_TAG: 'v1', CI_COMMIT_SHA: p.dev.head(), CI_DEFAULT_BRANCH: 'main' },
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/message of tag/);
  });

  it('a force push whose previous tip was rewritten away is checked as a force push, not refused', () => {
    const p = publicProject();
    p.dev.git('switch', '-q', '-c', 'topic');
    p.dev.write('src/x.js', 'x\n').commit('X');
    p.dev.git('push', '-q', '--no-verify', 'origin', 'topic');
    const before = p.dev.head();
    p.dev.git('reset', '-q', '--hard', 'main');
    p.dev.write('src/x.js', 'y\n').commit('X again');
    p.dev.git('push', '-q', '--force', '--no-verify', 'origin', 'topic');
    p.sandbox.git(p.forge, ['gc', '-q', '--prune=now']);
    const ci = p.clone();
    const env = { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'topic', CI_COMMIT_BEFORE_SHA: before, CI_COMMIT_SHA: p.dev.head(), CI_DEFAULT_BRANCH: 'main' };
    const clean = ci.mirror(['guard', 'ci'], { env });
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stderr).toMatch(/rewritten away\): treated as a force push/);
    expect(clean.stdout).toMatch(/scanned +1 commit,/);
  });

  it('--base/--head override the event, and outside CI they are required', () => {
    const p = publicProject();
    const base = p.dev.head();
    p.dev.write('src/z.js', 'z\n').commit('Z');
    expect(p.dev.mirror(['guard', 'ci', '--base', base, '--head', 'HEAD']).code).toBe(0);
    const none = p.dev.mirror(['guard', 'ci']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--base/);
  });
});
