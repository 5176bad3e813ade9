import { createHash } from 'node:crypto';
import type { ClientOptions } from './common.js';
import type { EtagStore } from './etag-store.js';
import { createForgejoRequester } from './forgejo-request.js';
import { isForgeError } from './http.js';
import { createOctokitClient } from './octokit-client.js';
import type { ForgeKind } from './types.js';

/**
 * The GETs of the fleet commands, for either forge: through the shared clients
 * (retries, rate limits, error mapping), conditional on the ETag a store kept
 * from an earlier run, and counted so a report can say what each mirror cost.
 */

export interface RequestTally {
  /** requests answered (a 304 included) */
  requests: number;
  /** of which 304 Not Modified, answered from the ETag store */
  notModified: number;
}

export type FleetGet = <T>(path: string, query: Record<string, string>) => Promise<{ data: T; headers: Record<string, string | undefined> }>;

export interface FleetGetter {
  get: FleetGet;
  tally: RequestTally;
}

export async function createFleetGetter(kind: ForgeKind, client: ClientOptions, options: { etags?: EtagStore; tally?: RequestTally } = {}): Promise<FleetGetter> {
  // a caller's tally still counts the requests of a read that ended in an error
  const tally: RequestTally = options.tally ?? { requests: 0, notModified: 0 };
  const raw = kind === 'github' ? await githubGet(client) : forgejoGet(client);
  // the answer a token sees is its own: an entry is never served to another token
  const who = client.token ? createHash('sha256').update(client.token).digest('hex').slice(0, 16) : 'anonymous';
  const get: FleetGet = async <T>(path: string, query: Record<string, string>) => {
    const search = new URLSearchParams(Object.entries(query).sort(([a], [b]) => a.localeCompare(b))).toString();
    const key = `${who} ${kind} ${client.apiUrl.replace(/\/+$/, '')}${path}?${search}`;
    const kept = options.etags?.get(key);
    tally.requests++;
    try {
      const answer = await raw<T>(path, query, kept ? { 'if-none-match': kept.etag } : {});
      const etag = answer.headers.etag;
      if (options.etags && etag) options.etags.set(key, { etag, data: answer.data });
      return answer;
    } catch (error) {
      if (kept && isForgeError(error) && error.status === 304) {
        tally.notModified++;
        return { data: kept.data as T, headers: {} };
      }
      throw error;
    }
  };
  return { get, tally };
}

type RawGet = <T>(path: string, query: Record<string, string>, headers: Record<string, string>) => Promise<{ data: T; headers: Record<string, string | undefined> }>;

async function githubGet(client: ClientOptions): Promise<RawGet> {
  const { octokit } = await createOctokitClient(client);
  return async <T>(path: string, query: Record<string, string>, headers: Record<string, string>) => {
    const response = await octokit.request(`GET ${path}`, { ...query, headers });
    return { data: response.data as T, headers: response.headers as Record<string, string | undefined> };
  };
}

function forgejoGet(client: ClientOptions): RawGet {
  const { call } = createForgejoRequester(client);
  return async <T>(path: string, query: Record<string, string>, headers: Record<string, string>) => {
    const answer = await call<T>('GET', path, query, undefined, false, headers);
    return { data: answer.data, headers: answer.headers };
  };
}
