import { Repository } from '../../adapters/git/repository.js';
import { describeUpdates, isZeroOid, parsePrePushInput } from '../../core/guard/pre-push-input.js';
import { emptyStats, type GuardReport } from '../../core/guard/types.js';
import { classifyPushTarget, redactUrl } from '../../core/remotes.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { checksFor, preparePolicy, type GuardOptions } from './context.js';
import { inspectScope } from './inspect.js';

export interface PrePushRequest extends GuardOptions {
  cwd: string;
  /** the remote's name, or its URL when the push named a URL */
  remote: string;
  url: string;
  /** git's pre-push stdin, read completely before anything else runs */
  input: string;
}

/**
 * What a push publishes is every object reachable from the pushed tips that the
 * remote does not have: all refs at once, with what the remote reported and what
 * its tracking refs say excluded.
 */
export async function prePush(request: PrePushRequest): Promise<GuardReport> {
  let updates;
  try {
    updates = parsePrePushInput(request.input);
  } catch (error) {
    throw new MirrorError('bad-pre-push-input', (error as Error).message, { exitCode: ExitCode.usage });
  }
  const repo = await Repository.open(request.cwd);
  // git's object reader starts and the remotes' URLs are read while the policy loads: the hook runs on every push
  const reader = repo.objects();
  try {
    const [prepared, knownUrls] = await Promise.all([preparePolicy(repo, request), repo.remoteUrls()]);
    const name = request.remote === request.url ? undefined : request.remote;
    const classification = classifyPushTarget(prepared.policy.remotes, knownUrls, name, request.url);

    const pushed = updates.filter((update) => !isZeroOid(update.localOid) && update.localOid !== update.remoteOid);
    const remoteOids = [...new Set(updates.map((update) => update.remoteOid).filter((oid) => !isZeroOid(oid)))];
    const target = {
      description: `push to ${name ?? redactUrl(request.url)}`,
      remote: { name, url: redactUrl(request.url), class: classification.class, reason: classification.reason },
      remoteClass: classification.class,
      refs: describeUpdates(updates),
    };
    // one round trip for both: the remote tips (one we never fetched cannot be excluded; scanning more is the
    // safe side) and the pushed objects
    const infos = await reader.info([...remoteOids, ...pushed.map((update) => update.localOid)]);
    const exclude = remoteOids.filter((_, i) => infos[i] !== undefined);
    const tips = infos.slice(remoteOids.length);
    tips.forEach((info, i) => {
      if (!info) throw new MirrorError('missing-object', `the pushed object ${pushed[i]!.localOid} is not in this repository`);
    });
    // git log walks commits only: what a ref names directly otherwise is read here
    const tagObjects = [...new Set(pushed.filter((_, i) => tips[i]!.type !== 'commit').map((update) => update.localOid))];
    const scope = { include: [...new Set(pushed.map((update) => update.localOid))], exclude, excludeRemote: name };
    if (scope.include.length === 0) {
      return { target, stats: { ...emptyStats(), refs: updates.length }, violations: [], notices: [], policy: prepared.policyFiles };
    }
    return await inspectScope(repo, scope, target, checksFor(prepared, classification.class), { tagObjects, refs: updates.length, reader });
  } finally {
    await reader.close();
  }
}
