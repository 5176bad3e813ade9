import { describe, expect, it } from 'vitest';
import { awsAccessKeyId } from '../helpers/tokens.js';
import { mirrorWorld, type World } from '../helpers/world.js';

/**
 * A push is classed by where it goes, not by the remote's name: every case here
 * pushes `origin` (private by name) somewhere public through git's own config.
 */
function withPrivateFile(world: World): World {
  world.repo.write('private/customer.md', 'contract terms\n').commit('Customer notes');
  return world;
}

const heads = (world: World, bare: string) => world.repo.tryGit('ls-remote', bare, 'refs/heads/*').stdout;

describe('push targets: the guard classes a push by its effective push URLs', () => {
  it('refuses origin when remote.origin.pushurl points at the public upstream', () => {
    const world = withPrivateFile(mirrorWorld());
    world.repo.git('config', 'remote.origin.pushurl', world.upstream);
    const push = world.push('origin', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/origin .*→ public: origin pushes to the URL of upstream/);
    expect(push.stderr).toContain('private/customer.md');
    expect(heads(world, world.upstream)).toBe('');
  });

  it('refuses origin when url.<public>.pushInsteadOf rewrites its URL', () => {
    const world = withPrivateFile(mirrorWorld());
    world.repo.git('config', `url.${world.upstream}.pushInsteadOf`, world.mirror);
    const push = world.push('origin', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/→ public: origin pushes to the URL of upstream/);
    expect(heads(world, world.upstream)).toBe('');
  });

  it('refuses every URL of origin when a second pushurl is public, the private one included', () => {
    const world = withPrivateFile(mirrorWorld());
    world.repo.git('config', 'remote.origin.pushurl', world.mirror);
    world.repo.git('config', '--add', 'remote.origin.pushurl', world.upstream);
    const push = world.push('origin', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/origin \(push URL .*\) pushes to the URL of upstream/);
    expect(heads(world, world.upstream)).toBe('');
    expect(heads(world, world.mirror)).toBe('');
  });

  it('refuses a public URL that is only some unlisted remote\'s, and one that is nobody\'s', () => {
    const world = withPrivateFile(mirrorWorld());
    const elsewhere = world.sandbox.bare('elsewhere');
    world.repo.git('config', 'remote.origin.pushurl', elsewhere);
    const push = world.push('origin', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/this push goes to .*elsewhere.*, which is not its fetch URL nor listed under remotes\.private/);
    expect(heads(world, elsewhere)).toBe('');
  });

  it('classes a URL given on the command line by the URL: the mirror\'s own URL is private, the upstream\'s public', () => {
    const world = withPrivateFile(mirrorWorld());
    const toUpstream = world.push(world.upstream, 'main');
    expect(toUpstream.code).not.toBe(0);
    expect(toUpstream.stderr).toContain('private/customer.md');
    const toMirror = world.push(world.mirror, 'main');
    expect(toMirror.code).toBe(0);
    expect(toMirror.stderr).toMatch(/→ private: .* matches private entry "origin"/);
  });

  it('follows remote.pushDefault: a bare `git push` to a public default is refused', () => {
    const world = withPrivateFile(mirrorWorld());
    world.repo.git('config', 'remote.pushDefault', 'upstream');
    world.repo.git('config', 'push.default', 'current');
    const push = world.repo.tryGit('push');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/remote +upstream .*→ public/);
    expect(heads(world, world.upstream)).toBe('');
  });

  it('still allows origin when its push URL is declared private, or is its fetch URL in another spelling', () => {
    const world = withPrivateFile(mirrorWorld({ policy: 'remotes:\n  private: [origin, "**/pushed-mirror"]\n' }));
    const pushed = world.sandbox.bare('pushed-mirror');
    world.repo.git('config', 'remote.origin.pushurl', pushed);
    expect(world.push('origin', 'main').code).toBe(0);
    world.repo.git('config', 'remote.origin.pushurl', `file://${world.mirror}`);
    const push = world.push('origin', 'main');
    expect(push.code).toBe(0);
    expect(push.stderr).toMatch(/origin .*→ private/);
  });

  it('mirror doctor fails a private remote whose push URL is public, and passes when they agree', () => {
    const world = mirrorWorld();
    const healthy = world.repo.mirror(['doctor', '--json']);
    const check = (run: { stdout: string }) => (JSON.parse(run.stdout) as { checks: { id: string; status: string; details?: string[] }[] }).checks.find((c) => c.id === 'push-urls');
    expect(check(healthy)?.status).toBe('pass');
    world.repo.git('config', 'remote.origin.pushurl', world.upstream);
    const broken = check(world.repo.mirror(['doctor', '--json']));
    expect(broken?.status).toBe('fail');
    expect(broken?.details?.[0]).toMatch(/^origin: fetch is private, push is public/);
  });
});

describe('ref names: what a push calls a ref reaches the remote too', () => {
  const env = { MIRROR_PRIVATE_IDENTIFIERS: 'customer=Globex' };

  it('refuses a branch or tag named after a private identifier toward public, by label only', () => {
    const world = mirrorWorld({ env });
    world.repo.git('switch', '-q', '-c', 'customer-globex-fix');
    world.repo.write('src/fix.js', 'export const fix = 1;\n').commit('Fix');
    const branch = world.push('upstream', 'customer-globex-fix');
    expect(branch.code).not.toBe(0);
    expect(branch.stderr).toContain('private identifier "customer"');
    expect(branch.stderr).toMatch(/name of ref refs\/heads\/customer-\[customer\]-fix/);
    expect(branch.stderr.toLowerCase()).not.toContain('globex');
    world.repo.git('tag', 'v1.0-globex');
    const tag = world.push('upstream', 'v1.0-globex');
    expect(tag.code).not.toBe(0);
    expect(tag.stderr).toMatch(/name of ref refs\/tags\/v1\.0-\[customer\]/);
    expect(heads(world, world.upstream)).toBe('');
    expect(world.push('origin', 'customer-globex-fix').code).toBe(0);
  });

  it('refuses an annotated tag whose tagger is a private identifier toward public', () => {
    const world = mirrorWorld({ env });
    const tag = world.sandbox.git(world.repo.dir, ['mktag'], { input: `object ${world.repo.head()}\ntype commit\ntag v2.0\ntagger Ann Lee <ann@globex.example> 1767225600 +0000\n\nRelease 2.0\n` }).trim();
    world.repo.git('update-ref', 'refs/tags/v2.0', tag);
    const push = world.push('upstream', 'v2.0');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/name or tagger of tag [0-9a-f]{10}\s+private identifier "customer"/);
    expect(push.stderr.toLowerCase()).not.toContain('globex');
    expect(world.push('origin', 'v2.0').code).toBe(0);
  });

  it('refuses a secret in a ref name toward every remote and never prints it', () => {
    const world = mirrorWorld();
    const key = awsAccessKeyId();
    world.repo.git('switch', '-q', '-c', `debug-${key}`);
    world.repo.write('src/a.js', 'export const a = 1;\n').commit('A');
    const push = world.push('origin', `debug-${key}`);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/secret +name of ref refs\/heads\/debug-AKIA\*+…/);
    expect(push.stderr + push.stdout).not.toContain(key);
    expect(push.stderr).not.toContain(key.slice(4));
    const json = world.repo.mirror(['guard', 'pre-push', 'origin', world.mirror, '--format', 'json'], {
      input: `refs/heads/debug-${key} ${world.repo.head()} refs/heads/debug-${key} ${'0'.repeat(40)}\n`,
    });
    expect(json.code).toBe(1);
    expect(json.stdout).not.toContain(key.slice(4));
  });

  it('passes the branch names of ordinary projects', () => {
    const world = mirrorWorld();
    const names = ['dependabot/npm_and_yarn/express-4.21.2', 'renovate/major-eslint-monorepo', 'release/v5.0.0-beta.1', 'fix/issue-1234', 'feat/AUTH-42_token-refresh', 'gh-pages'];
    for (const name of names) world.repo.git('branch', name);
    const push = world.push('upstream', ...names.map((name) => `${name}:${name}`));
    expect(push.stderr).toContain('✓ clean');
    expect(push.code).toBe(0);
  });
});
