import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY,
  FailedAttempt,
  retryDelay,
  retryPolicyFromEnv,
  scrub,
  serverMessageOf,
  toForgeError,
  withRetries,
  type HttpFailure,
  type RetryPolicy,
} from '../../../src/adapters/forge/http.js';
import { ExitCode } from '../../../src/errors.js';

const policy: RetryPolicy = { retries: 3, baseDelayMs: 100, maxDelayMs: 1000, maxTotalWaitMs: 5000 };
const NOW = 1_700_000_000_000;
const failure = (status: number | undefined, headers: Record<string, string> = {}, extra: Partial<HttpFailure> = {}): HttpFailure => ({
  method: 'GET',
  path: '/repos/acme/widgets',
  status,
  headers,
  ...extra,
});

describe('retryDelay', () => {
  it.each([
    ['429 with retry-after', failure(429, { 'retry-after': '2' }), 2000],
    ['429 with retry-after 0', failure(429, { 'retry-after': '0' }), 0],
    ['429 without hints backs off', failure(429), 100],
    ['403 primary limit: waits until reset', failure(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 10) }), 11_000],
    ['403 secondary limit without hints: a minute', failure(403, {}, { serverMessage: 'You have exceeded a secondary rate limit.' }), 60_000],
    ['502', failure(502), 100],
    ['503', failure(503), 100],
    ['504', failure(504), 100],
    ['ECONNRESET', failure(undefined, {}, { networkCode: 'ECONNRESET' }), 100],
    ['socket closed', failure(undefined, {}, { networkCode: 'UND_ERR_SOCKET' }), 100],
    ['timeout', failure(undefined, {}, { networkCode: 'TimeoutError' }), 100],
  ])('retries %s', (_name, input, delay) => {
    expect(retryDelay(input, 0, policy, NOW)).toBe(delay);
  });

  it.each([
    ['400', failure(400)],
    ['401', failure(401)],
    ['plain 403', failure(403, {}, { serverMessage: 'Resource not accessible by integration' })],
    ['404', failure(404)],
    ['409', failure(409)],
    ['422', failure(422)],
    ['500', failure(500)],
    ['unknown host', failure(undefined, {}, { networkCode: 'ENOTFOUND' })],
    ['refused', failure(undefined, {}, { networkCode: 'ECONNREFUSED' })],
  ])('does not retry %s', (_name, input) => {
    expect(retryDelay(input, 0, policy, NOW)).toBeUndefined();
  });

  it('doubles the backoff up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5].map((retry) => retryDelay(failure(502), retry, policy, NOW))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});

describe('withRetries', () => {
  const failing = (failures: HttpFailure[]) => {
    let calls = 0;
    const attempt = async () => {
      const next = failures[calls++];
      if (next) throw new FailedAttempt(next);
      return 'ok';
    };
    return { attempt, calls: () => calls };
  };

  it('retries transient failures, then succeeds', async () => {
    const waits: number[] = [];
    const { attempt, calls } = failing([failure(502), failure(429, { 'retry-after': '1' })]);
    await expect(withRetries(attempt, policy, async (ms) => void waits.push(ms), () => NOW)).resolves.toBe('ok');
    expect(calls()).toBe(3);
    expect(waits).toEqual([100, 1000]);
  });

  it('stops after the retries are used up', async () => {
    const { attempt, calls } = failing(Array.from({ length: 10 }, () => failure(503)));
    await expect(withRetries(attempt, policy, async () => undefined, () => NOW)).rejects.toBeInstanceOf(FailedAttempt);
    expect(calls()).toBe(policy.retries + 1);
  });

  it('does not wait past the total budget: a far reset fails at once', async () => {
    const waits: number[] = [];
    const far = failure(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 3600) });
    const { attempt, calls } = failing([far]);
    await expect(withRetries(attempt, policy, async (ms) => void waits.push(ms), () => NOW)).rejects.toBeInstanceOf(FailedAttempt);
    expect(calls()).toBe(1);
    expect(waits).toEqual([]);
  });

  it('passes other errors through untouched', async () => {
    const bug = new TypeError('a bug');
    await expect(withRetries(async () => Promise.reject(bug), policy)).rejects.toBe(bug);
  });
});

describe('retryPolicyFromEnv', () => {
  it('reads MIRROR_FORGE_* and ignores nonsense', () => {
    expect(retryPolicyFromEnv({ MIRROR_FORGE_RETRIES: '1', MIRROR_FORGE_RETRY_DELAY_MS: '5', MIRROR_FORGE_MAX_WAIT_MS: '50' })).toEqual({
      ...DEFAULT_RETRY,
      retries: 1,
      baseDelayMs: 5,
      maxTotalWaitMs: 50,
    });
    expect(retryPolicyFromEnv({ MIRROR_FORGE_RETRIES: 'many', MIRROR_FORGE_MAX_WAIT_MS: '-3' })).toEqual(DEFAULT_RETRY);
  });
});

describe('toForgeError', () => {
  const secret = ['not', 'a', 'real', 'credential'].join('-');
  const context = { kind: 'github' as const, authenticated: true, secrets: [secret] };

  it.each([
    [401, 'forge-auth', ExitCode.usage],
    [403, 'forge-forbidden', ExitCode.usage],
    [404, 'forge-not-found', ExitCode.usage],
    [409, 'forge-rejected', ExitCode.usage],
    [422, 'forge-rejected', ExitCode.usage],
    [429, 'forge-rate-limited', ExitCode.internal],
    [500, 'forge-unavailable', ExitCode.internal],
    [502, 'forge-unavailable', ExitCode.internal],
    [418, 'forge-failed', ExitCode.internal],
  ])('%i → %s', (status, code, exitCode) => {
    const error = toForgeError(failure(status), context);
    expect(error).toMatchObject({ code, exitCode, status, endpoint: 'GET /repos/acme/widgets' });
    expect(error.message).toContain('GET /repos/acme/widgets');
  });

  it('no response → forge-unavailable naming the cause', () => {
    expect(toForgeError(failure(undefined, {}, { networkCode: 'ECONNRESET' }), context)).toMatchObject({
      code: 'forge-unavailable',
      message: expect.stringContaining('ECONNRESET'),
    });
  });

  it('suggests how to authenticate', () => {
    expect(toForgeError(failure(401), { ...context, authenticated: false }).suggestions.join(' ')).toMatch(/GITHUB_TOKEN.*gh auth login/);
    expect(toForgeError(failure(401), { ...context, kind: 'forgejo' }).suggestions.join(' ')).toMatch(/FORGEJO_TOKEN/);
  });

  it('scrubs the token from anything the server says and from the endpoint', () => {
    const error = toForgeError(
      failure(422, {}, { path: `/repos/acme/${secret}`, serverMessage: `token ${secret} is not allowed; see https://user:${secret}@host/` }),
      context,
    );
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(secret);
    expect(error.message).toContain('***');
  });

  it('says when a rate limit resets', () => {
    const error = toForgeError(failure(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700003600' }), context);
    expect(error.code).toBe('forge-rate-limited');
    expect(error.message).toContain(new Date(1_700_003_600_000).toISOString());
  });
});

describe('serverMessageOf and scrub', () => {
  it("joins GitHub's validation errors", () => {
    expect(
      serverMessageOf({ message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: 'A pull request already exists for a:b.' }] }),
    ).toBe('Validation Failed: A pull request already exists for a:b.');
    expect(serverMessageOf({ message: 'Validation Failed', errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }] })).toBe(
      'Validation Failed: head is invalid',
    );
    expect(serverMessageOf('Bad Gateway')).toBe('Bad Gateway');
    expect(serverMessageOf(undefined)).toBeUndefined();
  });

  it('ignores secrets too short to be one', () => {
    expect(scrub('a b c', ['a', ''])).toBe('a b c');
  });
});
