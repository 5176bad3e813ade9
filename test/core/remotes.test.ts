import { describe, expect, it } from 'vitest';
import { canonicalUrl, classifyPush, classifyRemote, redactUrl, type RemoteUrls } from '../../src/core/remotes.js';
import { parseRemoteVerbose } from '../../src/adapters/git/remote-verbose.js';
import { compilePolicy } from '../../src/policy/compile.js';
import { baseFromDefault } from '../../src/policy/merge.js';

function remotes(privateEntries: string[], publicEntries: string[] = []) {
  return compilePolicy(baseFromDefault({ remotes: { private: privateEntries, public: publicEntries } })).remotes;
}

describe('canonical remote URLs', () => {
  it.each([
    ['https://github.com/acme/app.git', 'github.com/acme/app'],
    ['https://user:pw@GitHub.com/acme/app', 'github.com/acme/app'],
    ['ssh://git@github.com:22/acme/app.git', 'github.com/acme/app'],
    ['git@github.com:acme/app.git', 'github.com/acme/app'],
    ['file:///srv/git/app.git', 'srv/git/app'],
    ['/srv/git/app.git', 'srv/git/app'],
    ['../relative/app.git', '../relative/app'],
  ])('%s → %s', (url, canonical) => {
    expect(canonicalUrl(url)).toBe(canonical);
  });
});

describe('remote classes', () => {
  it('a remote in neither list is public', () => {
    const verdict = classifyRemote(remotes(['origin']), 'fork', 'https://github.com/me/app');
    expect(verdict.class).toBe('public');
    expect(verdict.reason).toContain('not listed');
  });

  it('a listed name is private', () => {
    expect(classifyRemote(remotes(['origin']), 'origin', 'https://example.invalid/x').class).toBe('private');
  });

  it('URL globs match every spelling of the URL', () => {
    const classes = remotes(['git.acme.internal/**', 'https://github.com/acme-private/*']);
    expect(classifyRemote(classes, 'x', 'git@git.acme.internal:team/app.git').class).toBe('private');
    expect(classifyRemote(classes, 'x', 'ssh://git@github.com/acme-private/app.git').class).toBe('private');
    expect(classifyRemote(classes, 'x', 'https://github.com/acme/app.git').class).toBe('public');
  });

  it('public wins when both lists match', () => {
    const verdict = classifyRemote(remotes(['origin'], ['github.com/**']), 'origin', 'https://github.com/acme/app');
    expect(verdict.class).toBe('public');
  });

  it('a push to a bare URL is classified by URL only', () => {
    expect(classifyRemote(remotes(['origin']), undefined, '/srv/mirror.git').class).toBe('public');
    expect(classifyRemote(remotes(['/srv/mirror.git']), undefined, '/srv/mirror.git').class).toBe('private');
  });

  it('credentials in URLs are never shown', () => {
    expect(redactUrl('https://x-access-token:abc123@github.com/acme/app')).toBe('https://***@github.com/acme/app');
    const verdict = classifyRemote(remotes([]), undefined, 'https://bot:hunter2hunter2@example.invalid/a');
    expect(verdict.reason).not.toContain('hunter2');
  });
});

describe('push classes: by every URL a push goes to', () => {
  const MIRROR = 'git@github.com:acme/app-mirror.git';
  const UPSTREAM = 'https://github.com/acme/app.git';
  const world = (origin: Partial<RemoteUrls> = {}): RemoteUrls[] => [
    { name: 'origin', fetch: [MIRROR], push: [MIRROR], ...origin },
    { name: 'upstream', fetch: [UPSTREAM], push: [UPSTREAM] },
  ];
  const byName = remotes(['origin']);

  it.each<[string, RemoteUrls[], string | undefined, string[], 'public' | 'private', RegExp]>([
    ['origin pushing where it fetches from', world(), 'origin', [MIRROR], 'private', /matches private entry "origin"/],
    ['the same URL in another spelling', world(), 'origin', ['https://github.com/acme/app-mirror'], 'private', /private entry "origin"/],
    ['a pushurl at the upstream', world({ push: [UPSTREAM] }), 'origin', [UPSTREAM], 'public', /pushes to the URL of upstream/],
    ['a second, public pushurl', world({ push: [MIRROR, UPSTREAM] }), 'origin', [MIRROR, UPSTREAM], 'public', /origin \(push URL .*\) pushes to the URL of upstream/],
    ['a pushurl nobody else has', world({ push: ['https://example.com/x.git'] }), 'origin', ['https://example.com/x.git'], 'public', /not its fetch URL/],
    ['a command-line URL equal to the mirror\'s', world(), undefined, [MIRROR], 'private', /private entry "origin"/],
    ['a command-line URL nobody has', world(), undefined, ['https://example.com/x.git'], 'public', /not listed under remotes\.private/],
    ['a fetch URL shared with an unlisted remote', [...world(), { name: 'fork', fetch: [MIRROR], push: [MIRROR] }], 'origin', [MIRROR], 'public', /URL of fork/],
  ])('%s', (_, known, name, urls, expected, reason) => {
    const verdict = classifyPush(byName, known, name, urls);
    expect(verdict.class).toBe(expected);
    expect(verdict.reason).toMatch(reason);
  });

  it('a public URL glob wins over a private name, and a private URL glob vouches for a push URL', () => {
    expect(classifyPush(remotes(['origin'], ['github.com/acme/app']), world({ push: [UPSTREAM] }), 'origin', [UPSTREAM]).class).toBe('public');
    const declared = remotes(['origin', 'backup.example.com/**']);
    expect(classifyPush(declared, world({ push: ['ssh://backup.example.com/app.git'] }), 'origin', ['ssh://backup.example.com/app.git']).class).toBe('private');
  });

  it('prints push URLs without their credentials', () => {
    const verdict = classifyPush(byName, world(), 'origin', ['https://bot:s3cr3t-value@example.com/x.git']);
    expect(verdict.reason).not.toContain('s3cr3t-value');
  });

  it('reads `git remote -v`, several push lines included', () => {
    const parsed = parseRemoteVerbose(`origin\t${MIRROR} (fetch)\norigin\t${MIRROR} (push)\norigin\t${UPSTREAM} (push)\nupstream\t${UPSTREAM} (fetch)\nupstream\t${UPSTREAM} (push)\n`);
    expect(parsed).toEqual(world({ push: [MIRROR, UPSTREAM] }));
  });
});
