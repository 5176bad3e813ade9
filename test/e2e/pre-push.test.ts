import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsAccessKeyId, slackBotToken } from '../helpers/tokens.js';
import { mirrorWorld, seed } from '../helpers/world.js';

/** Every hook run must say what it scanned, and a secret must never be printed. */
function expectNoLeak(output: string, ...secrets: string[]) {
  for (const secret of secrets) expect(output).not.toContain(secret);
}

describe('pre-push hook, through a real git push', () => {
  it('allows a clean push and says what it scanned', () => {
    const world = mirrorWorld();
    world.repo.write('src/app.js', 'export const x = 1;\n').commit('Add app');
    const push = world.push('upstream', 'main');
    expect(push.code).toBe(0);
    expect(push.stderr).toMatch(/remote +upstream .*→ public/);
    expect(push.stderr).toMatch(/scanned +1 ref, 2 commits, \d+ blobs/);
    expect(push.stderr).toContain('✓ clean');
  });

  it('refuses a new branch with a private file deep in its history, toward a public remote', () => {
    const world = mirrorWorld();
    seed(world, 'upstream', 'main');
    world.repo.git('switch', '-q', '-c', 'feature');
    world.repo.write('private/customers/acme/deep/notes.md', 'customer notes\n').commit('Notes');
    world.repo.remove('private');
    world.repo.commit('Remove notes again');
    for (let i = 0; i < 3; i++) world.repo.write(`src/f${i}.js`, `export const f${i} = ${i};\n`).commit(`Feature ${i}`);
    const push = world.push('upstream', 'feature');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('private/customers/acme/deep/notes.md');
    expect(push.stderr).toMatch(/private path/);
    expect(push.stderr).toMatch(/refs\/heads\/feature \(new\)/);
    expect(world.repo.tryGit('ls-remote', world.upstream, 'refs/heads/feature').stdout).toBe('');
  });

  it('allows the same private files toward the private mirror', () => {
    const world = mirrorWorld();
    world.repo.write('private/contract.md', 'terms\n').write('config/app.local.json', '{}\n').commit('Customer files');
    const push = world.push('origin', 'main');
    expect(push.code).toBe(0);
    expect(push.stderr).toMatch(/origin .*→ private/);
  });

  it('refuses a secret added then removed inside the pushed range, toward every remote', () => {
    const world = mirrorWorld();
    const key = awsAccessKeyId();
    world.repo.write('src/config.js', `const id = "${key}";\n`).commit('Add config');
    world.repo.write('src/config.js', 'const id = process.env.AWS_ACCESS_KEY_ID;\n').commit('Use the environment');
    const push = world.push('origin', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/secret +src\/config\.js:1:\d+ in [0-9a-f]{10}/);
    expect(push.stderr).toMatch(/aws/i);
    expectNoLeak(push.stderr + push.stdout, key);
  });

  it('refuses content that exists only in a merge result', () => {
    const world = mirrorWorld();
    const token = slackBotToken();
    world.repo.git('switch', '-q', '-c', 'side');
    world.repo.write('side.txt', 'side\n').commit('Side work');
    world.repo.git('switch', '-q', 'main');
    world.repo.write('main.txt', 'main\n').commit('Main work');
    world.repo.git('merge', '-q', '--no-ff', '--no-commit', 'side');
    world.repo.write('merged.txt', `slack = "${token}"\n`);
    const merge = world.repo.commit('Merge side');
    const push = world.push('origin', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain(`merged.txt:1`);
    expect(push.stderr).toContain(merge.slice(0, 10));
    expectNoLeak(push.stderr, token);
  });

  it('refuses binary and empty files under private/', () => {
    const world = mirrorWorld();
    world.repo.write('private/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2, 0, 3])).write('private/empty', '').commit('Binary and empty');
    const push = world.push('upstream', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('private/logo.png');
    expect(push.stderr).toContain('private/empty');
    expect(push.stderr).toMatch(/1 binary not scanned for secrets/);
  });

  it('refuses a rename into private/ even though the remote already has the blob', () => {
    const world = mirrorWorld();
    world.repo.write('docs/runbook.md', 'how to run it\n').commit('Runbook');
    seed(world, 'upstream', 'main');
    world.repo.move('docs/runbook.md', 'private/runbook.md').commit('Move the runbook to private');
    const push = world.push('upstream', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('private/runbook.md');
    expect(push.stderr).toMatch(/0 blobs/);
  });

  it('refuses a tag whose message carries a token', () => {
    const world = mirrorWorld();
    seed(world, 'origin', 'main');
    const token = slackBotToken();
    world.repo.git('tag', '-a', 'v1.0', '-m', `Release\n\nnotify with ${token}`);
    const push = world.push('origin', 'v1.0');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/message of tag [0-9a-f]{10}/);
    expectNoLeak(push.stderr, token);
  });

  it('checks several refs in one push, all at once', () => {
    const world = mirrorWorld();
    world.repo.git('switch', '-q', '-c', 'dirty');
    const key = awsAccessKeyId();
    world.repo.write('dirty.env.sample', `AWS_ACCESS_KEY_ID=${key}\n`).commit('Sample env');
    world.repo.git('switch', '-q', 'main');
    world.repo.write('clean.txt', 'fine\n').commit('Clean');
    const push = world.push('origin', 'main', 'dirty');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/scanned +2 refs/);
    expect(push.stderr).toContain('dirty.env.sample');
    expectNoLeak(push.stderr, key);
    expect(world.repo.tryGit('ls-remote', world.mirror).stdout).toBe('');
  });

  it('lets a deleted ref through: deleting publishes nothing', () => {
    const world = mirrorWorld();
    world.repo.git('switch', '-q', '-c', 'old');
    world.repo.write('private/x.md', 'x\n').commit('Private on a branch');
    seed(world, 'upstream', 'old');
    const push = world.push('upstream', ':old');
    expect(push.code).toBe(0);
    expect(push.stderr).toMatch(/refs\/heads\/old \(delete\)/);
  });

  it('checks a force push against what the remote had', () => {
    const world = mirrorWorld();
    world.repo.write('a.txt', 'a\n').commit('A');
    seed(world, 'origin', 'main');
    const key = awsAccessKeyId();
    world.repo.write('a.txt', `a\nkey=${key}\n`);
    world.repo.git('add', '-A');
    world.repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '--amend', '-m', 'A, amended');
    const forced = world.push('--force', 'origin', 'main');
    expect(forced.code).not.toBe(0);
    expect(forced.stderr).toContain('a.txt:2');
    world.repo.write('a.txt', 'a\nfixed\n');
    world.repo.git('add', '-A');
    world.repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '--amend', '-m', 'A, fixed');
    expect(world.push('--force', 'origin', 'main').code).toBe(0);
  });

  it('treats a remote the policy does not list as public', () => {
    const world = mirrorWorld();
    const other = world.sandbox.bare('other');
    world.repo.git('remote', 'add', 'backup', other);
    world.repo.write('private/x.md', 'x\n').commit('Private');
    const push = world.push('backup', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/backup .*→ public: backup is not listed under remotes.private/);
  });

  it('refuses every push while the policy is broken (fail closed, exit 2)', () => {
    const world = mirrorWorld();
    world.repo.policy('remotes:\n  private: [origin\n');
    world.repo.write('ok.txt', 'ok\n').commit('Clean change');
    const push = world.push('origin', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/\.mirror\/policy\.yml:\d+:\d+/);
    expect(push.stderr).toContain('push is refused (fail closed)');
    const direct = world.repo.mirror(['guard', 'pre-push', 'origin', world.mirror], { input: '' });
    expect(direct.code).toBe(2);
  });

  it('refuses a case variant of the private zone (Private/)', () => {
    const world = mirrorWorld();
    world.repo.write('Private/Notes.md', 'n\n').commit('Case variant');
    const push = world.push('upstream', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('Private/Notes.md');
  });

  it('counts only new objects when the remote already holds old history', () => {
    const world = mirrorWorld();
    const key = awsAccessKeyId();
    world.repo.write('legacy.cfg', `key = ${key}\n`).commit('Legacy secret, already public');
    seed(world, 'upstream', 'main');
    world.repo.write('legacy.cfg', `key = ${key}\nextra = 1\n`).commit('Touch the legacy file');
    const push = world.push('upstream', 'main');
    expect(push.code).toBe(0);
    expect(push.stderr).toMatch(/scanned +1 ref, 1 commit, 1 blob/);
  });

  it('lets placeholders, templates and environment references pass', () => {
    const world = mirrorWorld();
    world.repo
      .write('.env.example', 'AWS_ACCESS_KEY_ID=<your-access-key-id>\nSTRIPE_KEY=changeme\nDB_PASSWORD=${DB_PASSWORD}\n')
      .write('ci.yml', 'token: ${{ secrets.DEPLOY_TOKEN }}\npassword: "{{ vault_password }}"\n')
      .write('src/env.js', 'const apiKey = process.env.API_KEY;\nconst password = os.getenv("DB_PASSWORD")\n')
      .write('docs/aws.md', `Example: ${['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('')}\n`)
      .commit('Templates');
    const push = world.push('upstream', 'main');
    expect(push.stderr).toContain('✓ clean');
    expect(push.code).toBe(0);
  });

  it('handles paths with spaces, newlines and non-ASCII characters', () => {
    const world = mirrorWorld();
    const key = awsAccessKeyId();
    world.repo.write('private/with space/über.txt', 'x\n').write('odd\nname.txt', `id=${key}\n`).commit('Odd paths');
    const push = world.push('upstream', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('private/with space/über.txt');
    expect(push.stderr).toContain('"odd\\nname.txt"');
    expectNoLeak(push.stderr, key);
  });

  it('reports files over the size limit as not scanned, never silently', () => {
    const world = mirrorWorld({ policy: 'remotes:\n  private: [origin]\nlimits:\n  maxFileBytes: 2048\n' });
    world.repo.write('big.txt', 'x'.repeat(5000)).commit('Big file');
    const warned = world.push('origin', 'main');
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(/not scanned \(5000 bytes, over the 2048-byte limit\): big\.txt/);
    world.repo.policy('remotes:\n  private: [origin]\nlimits:\n  maxFileBytes: 2048\n  oversize: refuse\n');
    world.repo.write('big2.txt', 'y'.repeat(5000)).commit('Another big file');
    const refused = world.push('origin', 'main');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/not scanned +big2\.txt/);
  });

  it('finds secrets in non-UTF-8 content', () => {
    const world = mirrorWorld();
    const key = awsAccessKeyId();
    world.repo.write('latin1.txt', Buffer.concat([Buffer.from('caf\xe9 = 1\nid = ', 'latin1'), Buffer.from(key), Buffer.from('\n')])).commit('Latin-1');
    const push = world.push('origin', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('latin1.txt:2');
  });

  it('refuses a symlink into a private zone and a submodule at a private path toward public', () => {
    const world = mirrorWorld();
    world.repo.link('docs/contract', '../private/contract.md').commit('Link');
    const push = world.push('upstream', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/symlink pointing into private zone "private-dir"/);
    const world2 = mirrorWorld();
    const head = world2.repo.head();
    world2.repo.git('update-index', '--add', '--cacheinfo', `160000,${head},private/vendor`);
    world2.repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'Submodule');
    const sub = world2.push('upstream', 'main');
    expect(sub.code).not.toBe(0);
    expect(sub.stderr).toMatch(/submodule in private zone/);
  });

  it('refuses private identifiers toward public and reports them only by label', () => {
    const world = mirrorWorld({ env: { MIRROR_PRIVATE_IDENTIFIERS: 'customer=Globex Corporation;host=db7.globex.internal' } });
    world.repo.write('docs/notes.md', 'Deployed for globex  corporation last week.\n').commit('Notes');
    world.repo.write('src/db.js', 'connect("db7.globex.internal")\n').commit('Connect');
    const push = world.push('upstream', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('private identifier "customer"');
    expect(push.stderr).toContain('private identifier "host"');
    expect(push.stderr.toLowerCase()).not.toContain('globex');
    expect(world.push('origin', 'main').code).toBe(0);
  });

  it('fails closed when git itself fails (a missing object)', () => {
    const world = mirrorWorld();
    world.repo.write('a.txt', 'unique content for this test\n').commit('A');
    const blob = world.repo.git('rev-parse', 'HEAD:a.txt');
    rmSync(join(world.repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    const push = world.push('origin', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/mirror: .*(missing|failed)/);
    expect(push.stderr).toContain('fail closed');
  });
});

describe('pre-commit framework integration', () => {
  it('guard pre-push --from-pre-commit reads PRE_COMMIT_* instead of stdin', () => {
    const world = mirrorWorld();
    const base = world.repo.head();
    world.repo.write('private/p.md', 'p\n').commit('Private');
    const env = {
      PRE_COMMIT_FROM_REF: base,
      PRE_COMMIT_TO_REF: world.repo.head(),
      PRE_COMMIT_REMOTE_NAME: 'upstream',
      PRE_COMMIT_REMOTE_URL: world.upstream,
      PRE_COMMIT_LOCAL_BRANCH: 'refs/heads/main',
      PRE_COMMIT_REMOTE_BRANCH: 'refs/heads/main',
    };
    const refused = world.repo.mirror(['guard', 'pre-push', '--from-pre-commit'], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('private/p.md');
    const toMirror = world.repo.mirror(['guard', 'pre-push', '--from-pre-commit'], { env: { ...env, PRE_COMMIT_REMOTE_NAME: 'origin', PRE_COMMIT_REMOTE_URL: world.mirror } });
    expect(toMirror.code).toBe(0);
    expect(world.repo.mirror(['guard', 'pre-push', '--from-pre-commit']).code).toBe(2);
  });
});

describe('large files: only what changed is scanned', () => {
  it('reports a secret added in the middle of a large file, not the old one it keeps', () => {
    const world = mirrorWorld();
    const old = awsAccessKeyId();
    const filler = (tag: string) => Array.from({ length: 3000 }, (_, i) => `const ${tag}${i} = ${i};\n`).join('');
    world.repo.write('big.js', `${filler('a')}const legacy = "${old}";\n${filler('b')}`).commit('Big file, old secret');
    seed(world, 'origin', 'main');
    const fresh = awsAccessKeyId();
    world.repo.write('big.js', `${filler('a')}const legacy = "${old}";\n${filler('b').replace('const b1500 = 1500;\n', `const b1500 = "${fresh}";\n`)}`).commit('Add another');
    const push = world.push('origin', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/big\.js:4502:\d+/);
    expect(push.stderr).not.toMatch(/big\.js:3001:/);
    expect(push.stderr).toMatch(/✗ 1 violation/);
  });
});
