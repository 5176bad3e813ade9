import { FailedAttempt, networkCodeOf, retriedRequest, type ErrorContext, type RetryPolicy, type Sleep } from './http.js';
import { USER_AGENT } from './common.js';

/**
 * Fetches what a forge redirected to (artifact storage, log storage). The URL is
 * signed and short-lived; it gets no Authorization header: the forge token must
 * never reach a storage host. Redirects inside storage are followed.
 */
export async function fetchFromStorage(
  location: string,
  retry: { policy: RetryPolicy; sleep: Sleep },
  context: ErrorContext,
  timeoutMs: number,
): Promise<Uint8Array> {
  const target = new URL(location);
  const path = target.pathname;
  return retriedRequest(
    async () => {
      let response: Response;
      try {
        response = await fetch(target, { headers: { 'user-agent': USER_AGENT }, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        throw new FailedAttempt({ method: 'GET', path: `storage ${path}`, headers: {}, networkCode: networkCodeOf(error) ?? 'no response' });
      }
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        throw new FailedAttempt({
          method: 'GET',
          path: `storage ${path}`,
          status: response.status,
          headers: Object.fromEntries([...response.headers].map(([name, value]) => [name.toLowerCase(), value])),
          serverMessage: text.slice(0, 200) || undefined,
        });
      }
      return new Uint8Array(await response.arrayBuffer());
    },
    retry,
    { ...context, authenticated: false },
  );
}
