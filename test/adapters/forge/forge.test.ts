import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectForge, createForge } from '../../../src/adapters/forge/connect.js';
import { isForgeError, type RetryPolicy } from '../../../src/adapters/forge/http.js';
import { openOrUpdatePullRequest } from '../../../src/adapters/forge/pull-requests.js';
import type { Forge, ForgeKind } from '../../../src/adapters/forge/types.js';
import { startFakeForge, type FakeForge, type FakeForgeOptions } from '../../helpers/fake-forge.js';

/** Obviously fake credentials, built at run time and not shaped like any real token. */
const TOKEN = ['fake', 'forge', 'credential', 'for', 'tests'].join('-');
const OTHER_TOKEN = ['some', 'other', 'fake', 'credential'].join('-');
const FAST: RetryPolicy = { retries: 3, baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 2000 };
const widgets = { owner: 'acme', name: 'widgets' };

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** Everything an error could show: message, stack, own fields, cause chain. */
function everything(value: unknown): string {
  const error = value as Error;
  return [String(error?.message), String(error?.stack), inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value)].join('\n');
}

describe.each<ForgeKind>(['github', 'forgejo'])('%s adapter against the fake forge', (kind) => {
  let fake: FakeForge;
  let forge: Forge;

  const start = async (options: FakeForgeOptions = {}, token: string | undefined = TOKEN) => {
    await fake?.close();
    fake = await startFakeForge(kind, { token: TOKEN, ...options });
    fake.addRepo({ owner: 'acme', name: 'widgets', branches: ['main', 'topic', 'feature/slash'], protectedBranches: ['main'] });
    fake.addRepo({ owner: 'forker', name: 'widgets', fork: true, branches: ['main', 'topic'] });
    forge = await createForge(kind, { apiUrl: fake.apiUrl, token, retry: FAST });
  };

  beforeEach(async () => {
    await start();
  });
  afterEach(async () => {
    await fake.close();
  });

  describe('pull requests', () => {
    it('finds none, creates one, then finds and updates it', async () => {
      expect(await forge.findOpenPullRequest(widgets, { head: 'topic', base: 'main' })).toBeUndefined();
      const created = await forge.createPullRequest(widgets, { title: 'Sync', body: 'first', head: 'topic', base: 'main' });
      expect(created).toMatchObject({ number: 1, head: 'topic', headOwner: 'acme', base: 'main', title: 'Sync', body: 'first', state: 'open', merged: false });
      expect(created.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/acme\/widgets\/pulls?\/1$/);

      const found = await forge.findOpenPullRequest(widgets, { head: 'topic', base: 'main' });
      expect(found).toEqual(created);

      const updated = await forge.updatePullRequest(widgets, created.number, { body: 'second' });
      expect(updated).toMatchObject({ number: 1, title: 'Sync', body: 'second' });
      expect(fake.pulls('acme/widgets')).toMatchObject([{ number: 1, title: 'Sync', body: 'second', state: 'open' }]);
    });

    it('handles a head in a fork (`owner:branch`) apart from the same branch in the base repository', async () => {
      fake.addPullRequest('acme/widgets', { head: 'topic', title: 'own branch' });
      expect(await forge.findOpenPullRequest(widgets, { head: 'forker:topic', base: 'main' })).toBeUndefined();
      const created = await forge.createPullRequest(widgets, { title: 'From a fork', body: '', head: 'forker:topic', base: 'main' });
      expect(created).toMatchObject({ number: 2, head: 'topic', headOwner: 'forker', base: 'main' });
      expect(await forge.findOpenPullRequest(widgets, { head: 'forker:topic', base: 'main' })).toMatchObject({ number: 2 });
      expect(await forge.findOpenPullRequest(widgets, { head: 'topic', base: 'main' })).toMatchObject({ number: 1, headOwner: 'acme' });
      const sent = fake.requests.find((request) => request.method === 'POST');
      expect(sent?.body).toMatchObject({ head: 'forker:topic', base: 'main', title: 'From a fork' });
    });

    it('ignores closed pull requests and other bases', async () => {
      fake.addPullRequest('acme/widgets', { head: 'topic', state: 'closed' });
      fake.addPullRequest('acme/widgets', { head: 'topic', base: 'feature/slash' });
      expect(await forge.findOpenPullRequest(widgets, { head: 'topic', base: 'main' })).toBeUndefined();
    });

    it('pages through many open pull requests', async () => {
      fake.addPullRequest('acme/widgets', { head: 'topic', base: 'main', title: 'the one' });
      fake.repo('acme/widgets').branches.add('other');
      for (let i = 0; i < 120; i++) fake.addPullRequest('acme/widgets', { head: 'other', base: 'main' });
      expect(await forge.findOpenPullRequest(widgets, { head: 'topic', base: 'main' })).toMatchObject({ number: 1, title: 'the one' });
    });

    it('a duplicate create returns the open pull request instead of failing', async () => {
      fake.addPullRequest('acme/widgets', { head: 'topic', title: 'already there' });
      const pull = await forge.createPullRequest(widgets, { title: 'again', body: '', head: 'topic', base: 'main' });
      expect(pull).toMatchObject({ number: 1, title: 'already there' });
      expect(fake.pulls('acme/widgets')).toHaveLength(1);
    });

    it('a refused create is a forge error with status and endpoint, not retried', async () => {
      const error = await caught(forge.createPullRequest(widgets, { title: 'x', body: '', head: 'no-such-branch', base: 'main' }));
      expect(isForgeError(error)).toBe(true);
      expect(error).toMatchObject({
        code: kind === 'github' ? 'forge-rejected' : 'forge-not-found',
        status: kind === 'github' ? 422 : 404,
        endpoint: `POST ${new URL(fake.apiUrl).pathname.replace(/\/$/, '')}/repos/acme/widgets/pulls`,
      });
      expect(fake.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
    });

    it('openOrUpdatePullRequest: created, then unchanged, then updated, never a second one', async () => {
      const pull = { title: 'Sync', body: 'one', head: 'topic', base: 'main' };
      expect(await openOrUpdatePullRequest(forge, widgets, pull)).toMatchObject({ action: 'created', pullRequest: { number: 1 } });
      expect(await openOrUpdatePullRequest(forge, widgets, pull)).toMatchObject({ action: 'unchanged', pullRequest: { number: 1 } });
      expect(await openOrUpdatePullRequest(forge, widgets, { ...pull, body: 'two' })).toMatchObject({
        action: 'updated',
        pullRequest: { number: 1, body: 'two' },
      });
      expect(fake.pulls('acme/widgets')).toHaveLength(1);
    });
  });

  describe('repository facts', () => {
    it('reads visibility, default branch and security features', async () => {
      fake.addRepo({ owner: 'acme', name: 'secret', private: true, defaultBranch: 'trunk', secretScanning: 'enabled', pushProtection: 'disabled' });
      expect(await forge.repository({ owner: 'acme', name: 'secret' })).toEqual({
        owner: 'acme',
        name: 'secret',
        url: `${fake.url}/acme/secret`,
        private: true,
        visibility: 'private',
        defaultBranch: 'trunk',
        archived: false,
        fork: false,
        secretScanning: kind === 'github' ? 'enabled' : 'unavailable',
        pushProtection: kind === 'github' ? 'disabled' : 'unavailable',
      });
      expect(await forge.repository(widgets)).toMatchObject({ private: false, visibility: 'public', defaultBranch: 'main' });
    });

    it('internal repositories are not public', async () => {
      fake.addRepo({ owner: 'acme', name: 'inner', internal: true });
      expect(await forge.repository({ owner: 'acme', name: 'inner' })).toMatchObject({ private: true, visibility: 'internal' });
    });

    it('security features are unknown when the token may not see them', async () => {
      fake.addRepo({ owner: 'acme', name: 'plain', admin: false, secretScanning: 'enabled' });
      const facts = await forge.repository({ owner: 'acme', name: 'plain' });
      expect(facts.secretScanning).toBe(kind === 'github' ? 'unknown' : 'unavailable');
    });

    it('a GitHub Enterprise Server without secret scanning reports it unavailable', async () => {
      fake.addRepo({ owner: 'acme', name: 'old', secretScanning: null, pushProtection: null });
      const facts = await forge.repository({ owner: 'acme', name: 'old' });
      expect([facts.secretScanning, facts.pushProtection]).toEqual(['unavailable', 'unavailable']);
    });

    it('a private repository without a token is not found, with a hint to authenticate', async () => {
      fake.addRepo({ owner: 'acme', name: 'secret', private: true });
      const anonymous = await createForge(kind, { apiUrl: fake.apiUrl, token: undefined, retry: FAST });
      const error = await caught(anonymous.repository({ owner: 'acme', name: 'secret' }));
      expect(error).toMatchObject({ code: 'forge-not-found', status: 404 });
      expect((error as unknown as { suggestions: string[] }).suggestions.join(' ')).toMatch(kind === 'github' ? /GITHUB_TOKEN/ : /FORGEJO_TOKEN/);
      expect(fake.requests.at(-1)?.auth).toBe('none');
    });
  });

  describe('branch protection', () => {
    it('protected and unprotected branches, including a name with a slash', async () => {
      expect(await forge.branchProtected(widgets, 'main')).toBe(true);
      expect(await forge.branchProtected(widgets, 'topic')).toBe(false);
      expect(await forge.branchProtected(widgets, 'feature/slash')).toBe(false);
    });

    it('403 → unknown', async () => {
      fake.fail({ status: 403, path: /\/branches\//, times: Infinity, body: { message: 'Resource not accessible by integration' } });
      expect(await forge.branchProtected(widgets, 'main')).toBe('unknown');
      expect(fake.requests).toHaveLength(1);
    });

    it('a missing branch is an error, not "unprotected"', async () => {
      expect(await caught(forge.branchProtected(widgets, 'nope'))).toMatchObject({ code: 'forge-not-found', status: 404 });
    });

    if (kind === 'github') {
      it("the fake answers GitHub's /protection like GitHub: 404 when unprotected", async () => {
        const get = (branch: string) => fetch(`${fake.apiUrl}/repos/acme/widgets/branches/${branch}/protection`, { headers: { authorization: `token ${TOKEN}` } });
        expect((await get('main')).status).toBe(200);
        const unprotected = await get('topic');
        expect(unprotected.status).toBe(404);
        expect(await unprotected.json()).toMatchObject({ message: 'Branch not protected' });
      });
    }
  });

  describe('self-hosted runners', () => {
    it('counts runners and collects their labels', async () => {
      fake.addRepo({
        owner: 'acme',
        name: 'ci',
        runners: [
          { name: 'box-1', labels: ['self-hosted', 'linux', 'gpu'] },
          { name: 'box-2', labels: ['self-hosted', 'linux'] },
        ],
      });
      expect(await forge.selfHostedRunners({ owner: 'acme', name: 'ci' })).toEqual({
        count: 2,
        labels: ['gpu', 'linux', 'self-hosted'],
        names: ['box-1', 'box-2'],
      });
      expect(await forge.selfHostedRunners(widgets)).toEqual({ count: 0, labels: [], names: [] });
    });

    it('unknown when the token may not list them', async () => {
      fake.addRepo({ owner: 'acme', name: 'ci', admin: false, runners: [{ name: 'box', labels: ['x'] }] });
      expect(await forge.selfHostedRunners({ owner: 'acme', name: 'ci' })).toBe('unknown');
    });

    if (kind === 'forgejo') {
      it("also reads Gitea's { runners, total_count } shape", async () => {
        await start({ runnersShape: 'gitea' });
        fake.addRepo({ owner: 'acme', name: 'ci', runners: [{ name: 'box', labels: ['ubuntu-latest'] }] });
        expect(await forge.selfHostedRunners({ owner: 'acme', name: 'ci' })).toEqual({ count: 1, labels: ['ubuntu-latest'], names: ['box'] });
      });

      it('unknown on a Forgejo without the runner API (404)', async () => {
        fake.fail({ status: 404, path: '/repos/acme/widgets/actions/runners', times: Infinity });
        expect(await forge.selfHostedRunners(widgets)).toBe('unknown');
      });
    }
  });

  describe('retries', () => {
    it('retries 429 with retry-after, then succeeds', async () => {
      fake.fail({ status: 429, times: 2, headers: { 'retry-after': '0' } });
      expect(await forge.repository(widgets)).toMatchObject({ name: 'widgets' });
      expect(fake.requests).toHaveLength(3);
    });

    it('waits for an exhausted primary rate limit that resets soon (403 + x-ratelimit-*)', async () => {
      const reset = String(Math.floor(Date.now() / 1000) + 20);
      fake.fail({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } });
      const waits: number[] = [];
      const patient = await createForge(kind, {
        apiUrl: fake.apiUrl,
        token: TOKEN,
        retry: { ...FAST, maxTotalWaitMs: 60_000 },
        sleep: async (ms) => void waits.push(ms),
      });
      expect(await patient.branchProtected(widgets, 'main')).toBe(true);
      expect(fake.requests).toHaveLength(2);
      expect(waits).toHaveLength(1);
      expect(waits[0]).toBeGreaterThan(15_000);
      expect(waits[0]).toBeLessThanOrEqual(21_000);
    });

    it('fails at once when the rate limit resets later than the budget allows', async () => {
      const reset = String(Math.floor(Date.now() / 1000) + 3600);
      fake.fail({ status: 403, times: Infinity, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } });
      const error = await caught(forge.repository(widgets));
      expect(error).toMatchObject({ code: 'forge-rate-limited', status: 403 });
      expect(error.message).toContain(new Date(Number(reset) * 1000).toISOString());
      expect(fake.requests).toHaveLength(1);
    });

    it('retries 502, 503 and 504, then succeeds', async () => {
      fake.fail({ status: 502 });
      fake.fail({ status: 503 });
      fake.fail({ status: 504 });
      expect(await forge.findOpenPullRequest(widgets, { head: 'topic', base: 'main' })).toBeUndefined();
      expect(fake.requests).toHaveLength(4);
    });

    it('retries a dropped connection, then succeeds', async () => {
      fake.fail({ reset: true, times: 2 });
      expect(await forge.branchProtected(widgets, 'topic')).toBe(false);
      expect(fake.requests).toHaveLength(3);
    });

    it('gives up after the configured retries with forge-unavailable', async () => {
      fake.fail({ status: 503, times: Infinity });
      const error = await caught(forge.repository(widgets));
      expect(error).toMatchObject({ code: 'forge-unavailable', status: 503 });
      expect(fake.requests).toHaveLength(FAST.retries + 1);
    });

    it('does not retry 422 or 404', async () => {
      fake.fail({ status: 422, method: 'PATCH', body: { message: 'Validation Failed' } });
      expect(await caught(forge.updatePullRequest(widgets, 1, { title: 't' }))).toMatchObject({ code: 'forge-rejected', status: 422 });
      expect(fake.requests).toHaveLength(1);
      expect(await caught(forge.repository({ owner: 'acme', name: 'nothing' }))).toMatchObject({ code: 'forge-not-found' });
      expect(fake.requests).toHaveLength(2);
    });
  });

  describe('the token', () => {
    it('is sent with every request', async () => {
      await forge.repository(widgets);
      await forge.findOpenPullRequest(widgets, { head: 'topic', base: 'main' });
      await forge.createPullRequest(widgets, { title: 't', body: '', head: 'topic', base: 'main' });
      expect(fake.requests.length).toBeGreaterThanOrEqual(3);
      expect(fake.requests.every((request) => request.auth === 'valid')).toBe(true);
    });

    it('a wrong token is forge-auth, and no error or object shows it', async () => {
      const wrong = await createForge(kind, { apiUrl: fake.apiUrl, token: OTHER_TOKEN, retry: FAST });
      const error = await caught(wrong.repository(widgets));
      expect(error).toMatchObject({ code: 'forge-auth', status: 401 });
      expect(fake.requests.at(-1)?.auth).toBe('invalid');
      expect(everything(error)).not.toContain(OTHER_TOKEN);
      expect(inspect(wrong, { depth: 10, showHidden: true })).not.toContain(OTHER_TOKEN);
    });

    it('is scrubbed when a server repeats it', async () => {
      fake.fail({ status: 403, body: { message: `token ${TOKEN} lacks the needed scope` } });
      const error = await caught(forge.createPullRequest(widgets, { title: 't', body: '', head: 'topic', base: 'main' }));
      expect(error).toMatchObject({ code: 'forge-forbidden', status: 403 });
      expect(error.message).toContain('***');
      expect(everything(error)).not.toContain(TOKEN);
    });

    it('never appears in network errors either', async () => {
      fake.fail({ reset: true, times: Infinity });
      const error = await caught(forge.repository(widgets));
      expect(error).toMatchObject({ code: 'forge-unavailable' });
      expect(everything(error)).not.toContain(TOKEN);
    });
  });
});

describe('connectForge', () => {
  let fake: FakeForge | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it.each<ForgeKind>(['github', 'forgejo'])('%s: from a remote URL to a working forge, with the token from the environment', async (kind) => {
    fake = await startFakeForge(kind, { token: TOKEN });
    fake.addRepo({ owner: 'acme', name: 'widgets' });
    const variable = kind === 'github' ? 'GH_ENTERPRISE_TOKEN' : 'FORGEJO_TOKEN';
    const connection = await connectForge(fake.remoteUrl('acme/widgets'), {
      kind,
      apiUrl: fake.apiUrl,
      env: { [variable]: TOKEN, GITHUB_TOKEN: OTHER_TOKEN },
      ghToken: async () => undefined,
      retry: FAST,
    });
    expect(connection).toMatchObject({ kind, apiUrl: fake.apiUrl, repo: { owner: 'acme', name: 'widgets' }, tokenSource: variable });
    expect(JSON.stringify(connection)).not.toContain(TOKEN);
    expect(await connection.forge.repository(connection.repo)).toMatchObject({ name: 'widgets' });
    expect(fake.requests.every((request) => request.auth === 'valid')).toBe(true);
  });

  it('MIRROR_FORGE_* bound the retries of a connection', async () => {
    fake = await startFakeForge('forgejo', { token: TOKEN });
    fake.addRepo({ owner: 'acme', name: 'widgets' });
    fake.fail({ status: 502, times: Infinity });
    const connection = await connectForge(fake.remoteUrl('acme/widgets'), {
      kind: 'forgejo',
      apiUrl: fake.apiUrl,
      env: { FORGEJO_TOKEN: TOKEN, MIRROR_FORGE_RETRIES: '1', MIRROR_FORGE_RETRY_DELAY_MS: '1' },
    });
    expect(await caught(connection.forge.repository(connection.repo))).toMatchObject({ code: 'forge-unavailable' });
    expect(fake.requests).toHaveLength(2);
  });

  it('a GitHub Enterprise layout (/api/v3) works through Octokit', async () => {
    fake = await startFakeForge('github', { token: TOKEN, enterprise: true });
    fake.addRepo({ owner: 'acme', name: 'widgets' });
    const connection = await connectForge(fake.remoteUrl('acme/widgets'), {
      kind: 'github',
      env: { GH_ENTERPRISE_TOKEN: TOKEN },
      ghToken: async () => undefined,
      retry: FAST,
    });
    expect(connection.apiUrl).toBe(`${fake.url}/api/v3`);
    expect(await connection.forge.branchProtected(connection.repo, 'main')).toBe(false);
  });
});
