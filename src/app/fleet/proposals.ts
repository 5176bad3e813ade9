import { ghAuthToken, resolveForgeSettings, resolveToken } from '../../adapters/forge/connect.js';
import { fileEtagStore } from '../../adapters/forge/etag-store.js';
import { listOpenPulls } from '../../adapters/forge/fleet-proposals.js';
import type { RequestTally } from '../../adapters/forge/fleet-get.js';
import { retryPolicyFromEnv } from '../../adapters/forge/http.js';
import { FleetCache, mirrorNamespace, proposalRef, UPSTREAM_NAMESPACE } from '../../adapters/git/fleet-cache.js';
import { groupProposals, isSyncUpPull, type MirrorPatches, type ProposalFacts, type ProposalReport } from '../../core/fleet/proposals.js';
import { redactUrl } from '../../core/remotes.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { etagDir, fleetCacheDir } from './cache-dir.js';
import { openFleet, type ControlRequest } from './control.js';
import { mapPool } from './pool.js';

export interface FleetProposalsRequest extends ControlRequest {
  jobs?: number;
  labels?: string[];
  cache?: string;
  env?: NodeJS.ProcessEnv;
}

export interface FleetProposals extends ProposalReport {
  file: string;
  upstream: { url: string; branch: string; repository: string };
  /** mirrors whose history could not be read: the proposals they carry show without them */
  unreachable: { name: string; error: string }[];
  /** the upstream's pull request list: requests made, of which answered 304 from the ETag store */
  requests: RequestTally;
}

/**
 * `mirror fleet proposals`: the upstream's open pull requests that `mirror sync-up`
 * opened, each head fetched into the shared cache and reduced to patch ids, so two
 * mirrors proposing the same change show as one group: merge one, close the others.
 */
export async function fleetProposals(request: FleetProposalsRequest): Promise<FleetProposals> {
  const env = request.env ?? process.env;
  const { place, fleet, mirrors } = await openFleet(request, request.labels ?? []);
  const cacheDir = fleetCacheDir(request.cwd, place, request.cache);

  let settings;
  try {
    settings = resolveForgeSettings(fleet.upstream.url, { kind: fleet.upstream.forge, apiUrl: fleet.upstream.apiUrl, env });
  } catch (error) {
    throw new MirrorError('fleet-upstream-forge', `cannot tell where the upstream's pull requests are: ${error instanceof Error ? error.message : String(error)}`, {
      exitCode: ExitCode.usage,
      suggestions: ['give the upstream\'s forge and API URL in the fleet file: upstream: { forge: github, apiUrl: https://HOST/api/v3 }'],
    });
  }
  // a public upstream's pull requests can be read without a token (at a lower rate limit)
  const token = await resolveToken(settings, { env, ghToken: ghAuthToken });
  const listed = await listOpenPulls(
    settings.kind,
    { apiUrl: settings.apiUrl, token: token?.token, retry: retryPolicyFromEnv(env) },
    { owner: settings.location.owner, name: settings.location.name },
    { etags: fileEtagStore(etagDir(cacheDir)) },
  );
  const pulls = listed.pulls.filter((pull) => pull.base === fleet.upstream.branch && isSyncUpPull(pull));

  const cache = await FleetCache.open(cacheDir);
  const upstreamRef = `${UPSTREAM_NAMESPACE}/heads/${fleet.upstream.branch}`;
  const upstream = await cache.fetchBranch(fleet.upstream.url, fleet.upstream.branch, UPSTREAM_NAMESPACE);
  if (!upstream.ok || !upstream.found) {
    throw new MirrorError('fleet-upstream-unreachable', `cannot read the upstream ${redactUrl(fleet.upstream.url)} branch ${fleet.upstream.branch}: ${upstream.ok ? 'no such branch' : upstream.error}`, {
      exitCode: ExitCode.violations,
    });
  }
  const missing = await cache.fetchPullHeads(fleet.upstream.url, pulls.map((pull) => pull.number));
  const facts: ProposalFacts[] = [];
  for (const pull of pulls) {
    const base = { number: pull.number, url: pull.url, title: pull.title, body: pull.body, head: pull.head, headOwner: pull.headOwner, createdAt: pull.createdAt };
    const why = missing.get(pull.number);
    if (why !== undefined) {
      facts.push({ ...base, unreadable: why, patchId: undefined, commits: [] });
      continue;
    }
    const ref = proposalRef(pull.number);
    facts.push({ ...base, patchId: await cache.changePatchId(ref, upstreamRef), commits: await cache.commitPatchIds(ref, upstreamRef) });
  }

  const unreachable: FleetProposals['unreachable'] = [];
  const patches = await mapPool(mirrors, request.jobs ?? 4, async (mirror): Promise<MirrorPatches | undefined> => {
    const fetched = await cache.fetchBranch(mirror.url, mirror.defaultBranch, mirrorNamespace(mirror.name));
    if (!fetched.ok || !fetched.found) {
      unreachable.push({ name: mirror.name, error: fetched.ok ? `has no branch ${mirror.defaultBranch}` : fetched.error });
      return undefined;
    }
    const own = await cache.commitPatchIds(`${mirrorNamespace(mirror.name)}/heads/${mirror.defaultBranch}`, upstreamRef);
    return { name: mirror.name, patchIds: own.map((commit) => commit.patchId) };
  });
  const report = groupProposals(facts, patches.filter((mirror): mirror is MirrorPatches => mirror !== undefined));
  // with --label, a proposal no selected mirror carries belongs to another part of the fleet
  const selected = (request.labels ?? []).length > 0 ? narrow(report, new Set(mirrors.map((mirror) => mirror.name))) : report;
  return {
    file: place.fleetFile,
    upstream: { url: redactUrl(fleet.upstream.url), branch: fleet.upstream.branch, repository: `${settings.location.owner}/${settings.location.name}` },
    ...selected,
    unreachable: unreachable.sort((a, b) => a.name.localeCompare(b.name)),
    requests: listed.requests,
  };
}

function narrow(report: ProposalReport, names: ReadonlySet<string>): ProposalReport {
  const carried = (pull: { carriedBy: string[] }) => pull.carriedBy.some((name) => names.has(name));
  const groups = report.groups.filter((group) => group.pulls.some(carried));
  const single = report.single.filter(carried);
  return {
    groups,
    single,
    unreadable: report.unreadable,
    summary: {
      pulls: groups.reduce((sum, group) => sum + group.pulls.length, 0) + single.length + report.unreadable.length,
      groups: groups.length,
      toClose: groups.reduce((sum, group) => sum + group.close.length, 0),
      unreadable: report.unreadable.length,
    },
  };
}
