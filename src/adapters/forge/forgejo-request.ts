import { rateLimitFrom, type RateLimitState } from './actions-runs-types.js';
import { USER_AGENT, type ClientOptions } from './common.js';
import { DEFAULT_RETRY, FailedAttempt, networkCodeOf, realSleep, retriedRequest, serverMessageOf, type ErrorContext, type RetryPolicy, type Sleep } from './http.js';

/*
 * One request to a Forgejo or Gitea `/api/v1`, with plain fetch, shared by the
 * pull-request adapter and the Actions adapter: headers, retries, the turn of
 * every failed attempt into plain data, and the last rate-limit state seen.
 */

export type Query = Record<string, string | number | boolean | undefined>;

export interface ForgejoAnswer<T> {
  status: number;
  /** parsed JSON; the text when the body is not JSON; undefined when empty */
  data: T;
  /** lower-case names */
  headers: Record<string, string>;
  /** the body as it came (a zip, a log) */
  bytes: Uint8Array;
}

export interface ForgejoRequester {
  /** the API URL without trailing slashes */
  readonly base: string;
  readonly retry: { policy: RetryPolicy; sleep: Sleep };
  readonly context: ErrorContext;
  readonly timeoutMs: number;
  /**
   * `relative` is already encoded, e.g. `/repos/acme/widgets/pulls`.
   * `manual`: a redirect is answered as it is, not followed, so the storage it
   * points to never receives the token.
   */
  call<T>(method: string, relative: string, query?: Query, body?: unknown, manual?: boolean, extraHeaders?: Record<string, string>): Promise<ForgejoAnswer<T>>;
  /** the rate limit as the last response told it, if it did */
  rateLimit(): RateLimitState | undefined;
}

/** Path segments are encoded one by one; `/` inside a branch name stays a separator, as Forgejo's routes expect. */
export function encodeSegments(segments: ReadonlyArray<string>): string {
  return `/${segments.map((part) => part.split('/').map(encodeURIComponent).join('/')).join('/')}`;
}

export function createForgejoRequester(options: ClientOptions): ForgejoRequester {
  const base = options.apiUrl.replace(/\/+$/, '');
  const basePath = new URL(base).pathname.replace(/\/+$/, '');
  const retry = { policy: options.retry ?? DEFAULT_RETRY, sleep: options.sleep ?? realSleep };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const token = options.token;
  const context: ErrorContext = { kind: 'forgejo', authenticated: token !== undefined, secrets: token ? [token] : [] };
  let lastLimit: RateLimitState | undefined;

  async function call<T>(method: string, relative: string, query: Query = {}, body?: unknown, manual = false, extraHeaders: Record<string, string> = {}): Promise<ForgejoAnswer<T>> {
    const url = new URL(base + relative);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    const path = basePath + relative;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT, ...extraHeaders };
    if (token) headers.authorization = `token ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return retriedRequest(
      async () => {
        let response: Response;
        try {
          response = await fetch(url, {
            method,
            headers,
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: AbortSignal.timeout(timeoutMs),
            redirect: manual ? 'manual' : 'follow',
          });
        } catch (error) {
          throw new FailedAttempt({ method, path, headers: {}, networkCode: networkCodeOf(error) ?? 'no response' });
        }
        const answered = Object.fromEntries([...response.headers].map(([name, value]) => [name.toLowerCase(), value]));
        lastLimit = rateLimitFrom(answered) ?? lastLimit;
        const bytes = new Uint8Array(await response.arrayBuffer().catch(() => new ArrayBuffer(0)));
        const text = new TextDecoder().decode(bytes);
        let data: unknown = text;
        try {
          data = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON (a log, a zip, an HTML error page): the bytes, or the text for the error message
        }
        const redirect = manual && response.status >= 300 && response.status < 400;
        if (!response.ok && !redirect) {
          throw new FailedAttempt({ method, path, status: response.status, headers: answered, serverMessage: serverMessageOf(data) });
        }
        return { status: response.status, data: data as T, headers: answered, bytes };
      },
      retry,
      context,
    );
  }

  return { base, retry, context, timeoutMs, call, rateLimit: () => lastLimit };
}
