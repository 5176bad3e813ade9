import { describe, expect, it } from 'vitest';
import { canonicalUrl, classifyRemote, redactUrl } from '../../src/core/remotes.js';
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
