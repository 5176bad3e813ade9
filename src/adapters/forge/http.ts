import { ExitCode, MirrorError } from '../../errors.js';
import { redactCredentials } from '../../core/redact.js';
import type { ForgeKind } from './types.js';

/**
 * Retries, error mapping and secret scrubbing shared by the GitHub (Octokit) and
 * Forgejo (fetch) adapters. Both turn every failed HTTP attempt into an
 * `HttpFailure` first: plain data without request headers, so nothing carrying
 * the token ever leaves an adapter.
 */

export interface RetryPolicy {
  /** retries after the first attempt */
  retries: number;
  /** first wait after a transient failure (502/503/504, connection reset); doubles each time */
  baseDelayMs: number;
  /** longest single wait */
  maxDelayMs: number;
  /** total waiting allowed for one request; a rate limit that resets later than this fails at once */
  maxTotalWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 1000, maxDelayMs: 30_000, maxTotalWaitMs: 90_000 };

/** `MIRROR_FORGE_RETRIES`, `MIRROR_FORGE_RETRY_DELAY_MS`, `MIRROR_FORGE_MAX_WAIT_MS` override the defaults. */
export function retryPolicyFromEnv(env: NodeJS.ProcessEnv, base: RetryPolicy = DEFAULT_RETRY): RetryPolicy {
  const number = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    return Number.isFinite(value) && value >= 0 ? value : fallback;
  };
  return {
    retries: Math.floor(number('MIRROR_FORGE_RETRIES', base.retries)),
    baseDelayMs: number('MIRROR_FORGE_RETRY_DELAY_MS', base.baseDelayMs),
    maxDelayMs: base.maxDelayMs,
    maxTotalWaitMs: number('MIRROR_FORGE_MAX_WAIT_MS', base.maxTotalWaitMs),
  };
}

/** One failed attempt, independent of the client that made it. */
export interface HttpFailure {
  method: string;
  /** the request path without query string, e.g. `/repos/acme/widgets/pulls` */
  path: string;
  /** undefined when no response arrived */
  status?: number;
  /** response headers, lower-case names */
  headers: Record<string, string | undefined>;
  /** the server's own explanation (JSON `message`, GitHub's validation `errors[].message`) */
  serverMessage?: string;
  /** why no response arrived: ECONNRESET, UND_ERR_SOCKET, TimeoutError… */
  networkCode?: string;
}

/** Thrown by one attempt inside an adapter; `withRetries` decides whether to try again. */
export class FailedAttempt extends Error {
  constructor(readonly failure: HttpFailure) {
    super(`${failure.method} ${failure.path} failed`);
    this.name = 'FailedAttempt';
  }
}

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const TRANSIENT_STATUS = new Set([502, 503, 504]);
const TRANSIENT_NETWORK = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'TimeoutError',
]);

function header(failure: HttpFailure, name: string): string | undefined {
  return failure.headers[name];
}

/** Seconds (or an HTTP date) in `retry-after`, as milliseconds from now. */
function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** When the primary rate limit resets (epoch ms), if the response says it is exhausted. */
export function rateLimitResetsAt(failure: HttpFailure): number | undefined {
  if (header(failure, 'x-ratelimit-remaining') !== '0') return undefined;
  const reset = Number(header(failure, 'x-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? reset * 1000 : undefined;
}

export function isRateLimit(failure: HttpFailure): boolean {
  if (failure.status === 429) return true;
  if (failure.status !== 403) return false;
  return (
    header(failure, 'retry-after') !== undefined ||
    rateLimitResetsAt(failure) !== undefined ||
    /rate limit/i.test(failure.serverMessage ?? '')
  );
}

export function isTransient(failure: HttpFailure): boolean {
  if (failure.status === undefined) return failure.networkCode !== undefined && TRANSIENT_NETWORK.has(failure.networkCode);
  return TRANSIENT_STATUS.has(failure.status);
}

/** How long to wait before the next attempt, or undefined when it must not be retried. */
export function retryDelay(failure: HttpFailure, retry: number, policy: RetryPolicy, now: number): number | undefined {
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  if (isRateLimit(failure)) {
    const after = retryAfterMs(header(failure, 'retry-after'), now);
    if (after !== undefined) return after;
    const resetsAt = rateLimitResetsAt(failure);
    if (resetsAt !== undefined) return Math.max(0, resetsAt - now) + 1000;
    // GitHub's secondary limits without a hint: wait at least a minute
    if (failure.status === 403) return Math.max(60_000, backoff);
    return backoff;
  }
  return isTransient(failure) ? backoff : undefined;
}

/**
 * One forge request with its retries. A final failure leaves as a ForgeError made
 * of plain data only: the client's own error (request options, headers, the token)
 * stays here.
 */
export async function retriedRequest<T>(
  attempt: () => Promise<T>,
  retry: { policy: RetryPolicy; sleep: Sleep },
  context: ErrorContext,
): Promise<T> {
  try {
    return await withRetries(attempt, retry.policy, retry.sleep);
  } catch (error) {
    if (error instanceof FailedAttempt) throw toForgeError(error.failure, context);
    throw error;
  }
}

/**
 * Runs `attempt` until it succeeds, a failure is not retryable, the retries are
 * used up or the next wait would exceed the total budget; then throws the last
 * failure as a `FailedAttempt`.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  sleep: Sleep = realSleep,
  now: () => number = Date.now,
): Promise<T> {
  let waited = 0;
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof FailedAttempt) || retry >= policy.retries) throw error;
      const delay = retryDelay(error.failure, retry, policy, now());
      if (delay === undefined || waited + delay > policy.maxTotalWaitMs) throw error;
      waited += delay;
      await sleep(delay);
    }
  }
}

/** The first `code` (or timeout name) along an error's cause chain. */
export function networkCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const record = current as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof record.code === 'string' && record.code) return record.code;
    if (record.name === 'TimeoutError' || record.name === 'AbortError') return 'TimeoutError';
    current = record.cause;
  }
  return undefined;
}

/** The server's explanation from a JSON error body (GitHub and Forgejo both use `message`). */
export function serverMessageOf(data: unknown): string | undefined {
  if (typeof data === 'string') return data.trim() ? data.trim().slice(0, 500) : undefined;
  if (!data || typeof data !== 'object') return undefined;
  const body = data as { message?: unknown; errors?: unknown };
  const parts: string[] = [];
  if (typeof body.message === 'string' && body.message) parts.push(body.message);
  if (Array.isArray(body.errors)) {
    for (const item of body.errors) {
      if (typeof item === 'string') parts.push(item);
      else if (item && typeof item === 'object') {
        const entry = item as { message?: unknown; field?: unknown; code?: unknown };
        if (typeof entry.message === 'string') parts.push(entry.message);
        else if (typeof entry.field === 'string') parts.push(`${entry.field} is ${typeof entry.code === 'string' ? entry.code : 'invalid'}`);
      }
    }
  }
  return parts.length > 0 ? parts.join(': ') : undefined;
}

/** Removes every secret (and credentials in URLs) from a text that may be shown. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return redactCredentials(out);
}

/** A forge request that failed for good. Carries status and endpoint; never the request's headers. */
export class ForgeError extends MirrorError {
  readonly status: number | undefined;
  /** `METHOD /path` */
  readonly endpoint: string;
  /** the server's explanation, scrubbed */
  readonly serverMessage: string | undefined;

  constructor(
    code: string,
    message: string,
    details: { status: number | undefined; endpoint: string; serverMessage: string | undefined; exitCode: ExitCode; suggestions: string[] },
  ) {
    super(code, message, { exitCode: details.exitCode, suggestions: details.suggestions });
    this.name = 'ForgeError';
    this.status = details.status;
    this.endpoint = details.endpoint;
    this.serverMessage = details.serverMessage;
  }
}

export function isForgeError(error: unknown): error is ForgeError {
  return error instanceof ForgeError;
}

export interface ErrorContext {
  kind: ForgeKind;
  /** whether a token was sent */
  authenticated: boolean;
  /** values that must never appear in a message */
  secrets: readonly string[];
}

export const FORGE_LABEL: Record<ForgeKind, string> = { github: 'GitHub', forgejo: 'Forgejo' };

export const TOKEN_HINT: Record<ForgeKind, string> = {
  github: 'set GITHUB_TOKEN (or GH_TOKEN; GH_ENTERPRISE_TOKEN for GitHub Enterprise) or run `gh auth login`',
  forgejo: 'set FORGEJO_TOKEN (or GITEA_TOKEN) to an access token from Settings → Applications',
};

const PERMISSION_HINT: Record<ForgeKind, string> = {
  github:
    'give the token what this needs: pull requests (write) and contents (read) to open pull requests; administration (read) to read branch protection details and runners',
  forgejo: 'give the token the write:repository scope (read:repository is enough for checks); runners need repository admin rights',
};

/** Turns a final failure into the one error type users see. */
export function toForgeError(failure: HttpFailure, context: ErrorContext): ForgeError {
  const label = FORGE_LABEL[context.kind];
  const endpoint = scrub(`${failure.method} ${failure.path}`, context.secrets);
  const said = failure.serverMessage ? scrub(failure.serverMessage, context.secrets).slice(0, 300) : undefined;
  const tail = said ? `: ${said}` : '';
  const status = failure.status;
  const make = (code: string, message: string, exitCode: ExitCode, suggestions: string[]) =>
    new ForgeError(code, message, { status, endpoint, serverMessage: said, exitCode, suggestions });

  if (status === undefined) {
    const why = failure.networkCode ?? 'no response';
    return make('forge-unavailable', `${label} API could not be reached (${endpoint}): ${why}`, ExitCode.internal, [
      'check the network and the API URL (--api-url), then run again',
    ]);
  }
  if (isRateLimit(failure)) {
    const resetsAt = rateLimitResetsAt(failure);
    const when = resetsAt ? `; it resets at ${new Date(resetsAt).toISOString()}` : '';
    const suggestions = ['wait and run again'];
    if (!context.authenticated) suggestions.push(`authenticated requests get a higher limit: ${TOKEN_HINT[context.kind]}`);
    return make('forge-rate-limited', `${label} API rate limit reached (${status}) on ${endpoint}${when}`, ExitCode.internal, suggestions);
  }
  if (status === 401) {
    const message = context.authenticated
      ? `${label} rejected the token (401) on ${endpoint}${tail}`
      : `${label} requires authentication (401) for ${endpoint} and no token was found`;
    return make('forge-auth', message, ExitCode.usage, [TOKEN_HINT[context.kind]]);
  }
  if (status === 403) {
    const suggestions = context.authenticated ? [PERMISSION_HINT[context.kind]] : [TOKEN_HINT[context.kind]];
    return make('forge-forbidden', `${label} refused ${endpoint} (403)${tail}`, ExitCode.usage, suggestions);
  }
  if (status === 404) {
    const suggestions = ['check the remote URL: owner, repository and branch names'];
    suggestions.push(
      context.authenticated
        ? 'for a private repository the token needs access to it'
        : `a private repository needs a token: ${TOKEN_HINT[context.kind]}`,
    );
    return make('forge-not-found', `${label} found nothing at ${endpoint} (404): it does not exist or the token cannot see it`, ExitCode.usage, suggestions);
  }
  if (status === 409 || status === 422) {
    return make('forge-rejected', `${label} rejected ${endpoint} (${status})${tail}`, ExitCode.usage, []);
  }
  if (status >= 500) {
    return make('forge-unavailable', `${label} API failed (${status}) on ${endpoint}${tail}`, ExitCode.internal, [
      'the forge may be having trouble: run again later',
    ]);
  }
  return make('forge-failed', `${label} API answered ${status} on ${endpoint}${tail}`, ExitCode.internal, []);
}
