import { USER_AGENT, type ClientOptions } from './common.js';
import {
  DEFAULT_RETRY,
  FailedAttempt,
  networkCodeOf,
  realSleep,
  retriedRequest,
  serverMessageOf,
  type ErrorContext,
  type HttpFailure,
  type RetryPolicy,
  type Sleep,
} from './http.js';

/*
 * The one Octokit construction for GitHub and GitHub Enterprise: every request
 * goes through the shared retries and leaves as a ForgeError of plain data.
 * Octokit is imported on first use, so commands that never talk to a forge do
 * not pay for loading it.
 */

export interface OctokitClientOptions {
  /** told the response headers of every attempt, failed ones too (the rate limit lives there) */
  onHeaders?: (headers: Record<string, string | undefined>) => void;
  /** GETs repeat the last ETag; a 304 answers from the cache and costs no rate limit */
  conditionalGets?: boolean;
}

/** a type only: a static import of the package would load it with this file */
type Octokit = InstanceType<typeof import('@octokit/rest').Octokit>;

export interface OctokitClient {
  octokit: Octokit;
  retry: { policy: RetryPolicy; sleep: Sleep };
  context: ErrorContext;
  timeoutMs: number;
}

export async function createOctokitClient(options: ClientOptions, extra: OctokitClientOptions = {}): Promise<OctokitClient> {
  const { Octokit } = await import('@octokit/rest');
  const retry = { policy: options.retry ?? DEFAULT_RETRY, sleep: options.sleep ?? realSleep };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const context: ErrorContext = { kind: 'github', authenticated: options.token !== undefined, secrets: options.token ? [options.token] : [] };
  const quiet = () => undefined;
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    userAgent: USER_AGENT,
    // Octokit logs deprecations to the console; our output is ours to decide
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
  const cache = extra.conditionalGets ? new Map<string, { etag: string; response: unknown }>() : undefined;

  octokit.hook.wrap('request', async (request, endpointOptions) => {
    const method = String(endpointOptions.method ?? 'GET').toUpperCase();
    let path = String(endpointOptions.url);
    let full = path;
    try {
      full = octokit.request.endpoint.parse(endpointOptions).url;
      path = new URL(full).pathname;
    } catch {
      // keep the route template
    }
    const cached = method === 'GET' ? cache?.get(full) : undefined;
    return retriedRequest(
      async () => {
        try {
          if (cached) (endpointOptions.headers as Record<string, string>)['if-none-match'] = cached.etag;
          const response = await request({ ...endpointOptions, request: { ...endpointOptions.request, signal: AbortSignal.timeout(timeoutMs) } });
          const answered = response.headers as Record<string, string | undefined>;
          extra.onHeaders?.(answered);
          if (cache && method === 'GET' && answered.etag && response.status === 200) cache.set(full, { etag: answered.etag, response });
          return response;
        } catch (error) {
          const failure = failureFromOctokit(error, method, path);
          extra.onHeaders?.(failure.headers);
          if (failure.status === 304 && cached) return cached.response as Awaited<ReturnType<typeof request>>;
          throw new FailedAttempt(failure);
        }
      },
      retry,
      context,
    );
  });

  return { octokit, retry, context, timeoutMs };
}

/** Plain data from whatever Octokit threw: status, path, response headers, the server's message. */
export function failureFromOctokit(error: unknown, method: string, path: string): HttpFailure {
  const record = (error ?? {}) as { status?: unknown; response?: { status?: number; headers?: Record<string, unknown>; data?: unknown } };
  const response = record.response;
  if (!response) return { method, path, headers: {}, networkCode: networkCodeOf(error) ?? 'no response' };
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
  }
  return {
    method,
    path,
    status: typeof response.status === 'number' ? response.status : Number(record.status) || undefined,
    headers,
    serverMessage: serverMessageOf(response.data),
  };
}
