import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ghAuthToken,
  parseRepoUrl,
  resolveApiUrl,
  resolveForgeSettings,
  resolveKind,
  resolveToken,
  tokenVariables,
} from '../../../src/adapters/forge/connect.js';
import { MirrorError } from '../../../src/errors.js';
import { packageRoot } from '../../../src/paths.js';

/** Obviously fake, not shaped like any real token. */
const fake = (name: string) => ['fake', name, 'value'].join('-');
const noGh = async () => undefined;

describe('parseRepoUrl', () => {
  it.each([
    ['https://github.com/acme/widgets.git', 'github.com', 'acme', 'widgets', 'https://github.com'],
    ['https://github.com/acme/widgets', 'github.com', 'acme', 'widgets', 'https://github.com'],
    ['https://user:secret@GitHub.com/acme/widgets.git/', 'github.com', 'acme', 'widgets', 'https://github.com'],
    ['git@github.com:acme/widgets.git', 'github.com', 'acme', 'widgets', 'https://github.com'],
    ['ssh://git@github.com/acme/widgets.git', 'github.com', 'acme', 'widgets', 'https://github.com'],
    ['ssh://git@code.example.org:2222/Team/Widgets.git', 'code.example.org', 'Team', 'Widgets', 'https://code.example.org'],
    ['http://localhost:3000/acme/widgets.git', 'localhost', 'acme', 'widgets', 'http://localhost:3000'],
    ['https://example.com/forgejo/acme/widgets.git', 'example.com', 'acme', 'widgets', 'https://example.com/forgejo'],
    ['git://codeberg.org/acme/widgets', 'codeberg.org', 'acme', 'widgets', 'https://codeberg.org'],
  ])('%s', (url, host, owner, name, webUrl) => {
    expect(parseRepoUrl(url)).toEqual({ host, owner, name, webUrl });
  });

  it.each(['/srv/git/widgets.git', './widgets', 'file:///srv/git/widgets.git', 'https://github.com/acme', 'not a url'])(
    'refuses %s',
    (url) => {
      expect(() => parseRepoUrl(url)).toThrowError(expect.objectContaining({ code: 'forge-bad-remote' }));
    },
  );

  it('never repeats credentials from the URL in its error', () => {
    const secret = fake('password');
    try {
      parseRepoUrl(`https://user:${secret}@example.com/only-owner`);
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(secret);
    }
  });
});

describe('resolveKind', () => {
  const at = (url: string) => parseRepoUrl(url);

  it('takes the explicit kind first', () => {
    expect(resolveKind(at('https://github.com/a/b'), { kind: 'forgejo', env: {} })).toBe('forgejo');
  });

  it('knows github.com and *.ghe.com', () => {
    expect(resolveKind(at('git@github.com:a/b.git'), { env: {} })).toBe('github');
    expect(resolveKind(at('https://octo.ghe.com/a/b'), { env: {} })).toBe('github');
  });

  it('reads the API URL: /api/v1 is Forgejo, /api/v3 is GitHub', () => {
    expect(resolveKind(at('https://git.example.com/a/b'), { apiUrl: 'https://git.example.com/api/v1', env: {} })).toBe('forgejo');
    expect(resolveKind(at('https://ghe.example.com/a/b'), { apiUrl: 'https://ghe.example.com/api/v3/', env: {} })).toBe('github');
  });

  it("uses the CI's GITHUB_API_URL only when the CI runs on the remote's host", () => {
    const forgejoCi = { GITHUB_SERVER_URL: 'https://codeberg.org', GITHUB_API_URL: 'https://codeberg.org/api/v1' };
    expect(resolveKind(at('https://codeberg.org/a/b'), { env: forgejoCi })).toBe('forgejo');
    const gheCi = { GITHUB_SERVER_URL: 'https://ghe.corp', GITHUB_API_URL: 'https://ghe.corp/api/v3' };
    expect(resolveKind(at('git@ghe.corp:a/b.git'), { env: gheCi })).toBe('github');
    // a github.com job says nothing about another host
    const githubCi = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_API_URL: 'https://api.github.com' };
    expect(() => resolveKind(at('https://git.example.com/a/b'), { env: githubCi })).toThrowError(
      expect.objectContaining({ code: 'forge-unknown' }),
    );
  });

  it('asks when it cannot tell, with suggestions', () => {
    try {
      resolveKind(at('https://git.example.com/a/b'), { env: {} });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MirrorError);
      expect((error as MirrorError).suggestions.join(' ')).toMatch(/--forge forgejo/);
    }
  });
});

describe('resolveApiUrl', () => {
  const at = (url: string) => parseRepoUrl(url);

  it.each([
    ['https://github.com/a/b', 'github', 'https://api.github.com'],
    ['https://octo.ghe.com/a/b', 'github', 'https://api.octo.ghe.com'],
    ['git@ghe.corp:a/b.git', 'github', 'https://ghe.corp/api/v3'],
    ['git@codeberg.org:a/b.git', 'forgejo', 'https://codeberg.org/api/v1'],
    ['http://localhost:3000/a/b.git', 'forgejo', 'http://localhost:3000/api/v1'],
    ['https://example.com/forgejo/a/b', 'forgejo', 'https://example.com/forgejo/api/v1'],
  ] as const)('derives %s (%s) → %s', (url, kind, expected) => {
    expect(resolveApiUrl(at(url), kind, { env: {} })).toBe(expected);
  });

  it('prefers --api-url, then the CI variable for the same host', () => {
    const env = { GITHUB_SERVER_URL: 'https://codeberg.org', GITHUB_API_URL: 'https://codeberg.org/api/v1' };
    expect(resolveApiUrl(at('https://codeberg.org/a/b'), 'forgejo', { apiUrl: 'https://proxy.example/api/v1/', env })).toBe(
      'https://proxy.example/api/v1',
    );
    expect(resolveApiUrl(at('https://codeberg.org/a/b'), 'forgejo', { env })).toBe('https://codeberg.org/api/v1');
    expect(resolveApiUrl(at('https://github.com/a/b'), 'github', { env })).toBe('https://api.github.com');
  });

  it('refuses an API URL that is not http(s) or carries credentials', () => {
    expect(() => resolveApiUrl(at('https://github.com/a/b'), 'github', { apiUrl: 'ftp://x', env: {} })).toThrowError(
      expect.objectContaining({ code: 'forge-bad-api-url' }),
    );
    expect(() => resolveApiUrl(at('https://github.com/a/b'), 'github', { apiUrl: 'https://u:p@x/api', env: {} })).toThrowError(
      expect.objectContaining({ code: 'forge-bad-api-url' }),
    );
  });
});

describe('resolveToken', () => {
  const github = resolveForgeSettings('https://github.com/acme/widgets', { env: {} });
  const ghe = resolveForgeSettings('https://ghe.corp/acme/widgets', { kind: 'github', env: {} });
  const forgejo = resolveForgeSettings('https://codeberg.org/acme/widgets', { kind: 'forgejo', env: {} });
  const all = {
    GITHUB_TOKEN: fake('github'),
    GH_TOKEN: fake('gh'),
    FORGEJO_TOKEN: fake('forgejo'),
    GITEA_TOKEN: fake('gitea'),
    GH_ENTERPRISE_TOKEN: fake('enterprise'),
  };

  it('github.com: GITHUB_TOKEN, then GH_TOKEN, then gh auth token', async () => {
    expect(await resolveToken(github, { env: all, ghToken: noGh })).toEqual({ token: fake('github'), source: 'GITHUB_TOKEN' });
    expect(await resolveToken(github, { env: { GH_TOKEN: fake('gh') }, ghToken: noGh })).toEqual({ token: fake('gh'), source: 'GH_TOKEN' });
    const hosts: string[] = [];
    const gh = async (host: string) => {
      hosts.push(host);
      return `${fake('stored')}\n`;
    };
    expect(await resolveToken(github, { env: { FORGEJO_TOKEN: fake('forgejo') }, ghToken: gh })).toEqual({
      token: fake('stored'),
      source: 'gh auth token',
    });
    expect(hosts).toEqual(['github.com']);
    expect(await resolveToken(github, { env: {}, ghToken: noGh })).toBeUndefined();
  });

  it('an explicit token wins; blank variables are skipped', async () => {
    expect(await resolveToken(github, { token: fake('explicit'), env: all, ghToken: noGh })).toEqual({ token: fake('explicit'), source: 'option' });
    expect(await resolveToken(github, { env: { GITHUB_TOKEN: '  ', GH_TOKEN: fake('gh') }, ghToken: noGh })).toMatchObject({ source: 'GH_TOKEN' });
  });

  it('Forgejo: FORGEJO_TOKEN, then GITEA_TOKEN; never a github.com token, never gh', async () => {
    expect(await resolveToken(forgejo, { env: all, ghToken: noGh })).toMatchObject({ source: 'FORGEJO_TOKEN' });
    expect(await resolveToken(forgejo, { env: { GITEA_TOKEN: fake('gitea'), GITHUB_TOKEN: fake('github') }, ghToken: noGh })).toMatchObject({
      source: 'GITEA_TOKEN',
    });
    let asked = false;
    const gh = async () => {
      asked = true;
      return fake('stored');
    };
    expect(await resolveToken(forgejo, { env: { GITHUB_TOKEN: fake('github') }, ghToken: gh })).toBeUndefined();
    expect(asked).toBe(false);
  });

  it("Forgejo Actions: the job's GITHUB_TOKEN is used on its own host", async () => {
    const env = { GITHUB_SERVER_URL: 'https://codeberg.org', GITHUB_API_URL: 'https://codeberg.org/api/v1', GITHUB_TOKEN: fake('job') };
    expect(await resolveToken(forgejo, { env, ghToken: noGh })).toEqual({ token: fake('job'), source: 'GITHUB_TOKEN' });
    expect(tokenVariables(forgejo, env)).toEqual(['FORGEJO_TOKEN', 'GITEA_TOKEN', 'GITHUB_TOKEN', 'GH_TOKEN']);
  });

  it('GitHub Enterprise Server: GH_ENTERPRISE_TOKEN, not a github.com GITHUB_TOKEN', async () => {
    expect(await resolveToken(ghe, { env: all, ghToken: noGh })).toMatchObject({ source: 'GH_ENTERPRISE_TOKEN' });
    const hosts: string[] = [];
    const gh = async (host: string) => {
      hosts.push(host);
      return undefined;
    };
    expect(await resolveToken(ghe, { env: { GITHUB_TOKEN: fake('github') }, ghToken: gh })).toBeUndefined();
    expect(hosts).toEqual(['ghe.corp']);
  });

  it('a missing gh is no token, not an error', async () => {
    expect(await ghAuthToken('github.com', { PATH: '/nonexistent' })).toBeUndefined();
  });
});

describe('start-up cost', () => {
  it('loads Octokit only inside the GitHub client factory', () => {
    const dir = join(packageRoot, 'src', 'adapters', 'forge');
    const files = ['connect.ts', 'index.ts', 'types.ts', 'http.ts', 'common.ts', 'forgejo.ts', 'pull-requests.ts', 'github.ts', 'actions-runs.ts', 'actions-runs-forgejo.ts', 'actions-history.ts', 'forgejo-request.ts', 'octokit-client.ts'];
    for (const file of files) {
      const source = readFileSync(join(dir, file), 'utf8');
      expect(source, file).not.toMatch(/^\s*import\s[^;]*['"]@octokit\//m);
    }
    expect(readFileSync(join(dir, 'octokit-client.ts'), 'utf8')).toMatch(/await import\('@octokit\/rest'\)/);
    // connect.ts reaches the adapters only through dynamic imports
    expect(readFileSync(join(dir, 'connect.ts'), 'utf8')).not.toMatch(/^import .*from '\.\/(github|forgejo)\.js'/m);
  });
});
