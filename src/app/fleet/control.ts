import { join, resolve } from 'node:path';
import { Repository } from '../../adapters/git/repository.js';
import { redactUrl } from '../../core/remotes.js';
import { ExitCode, MirrorError, type ErrorDetail } from '../../errors.js';
import { readFleet, selectMirrors } from '../../fleet/load.js';
import type { Fleet, FleetMirror } from '../../fleet/types.js';
import { fleetFilePath } from '../../paths.js';
import { loadPolicy, readRepositoryPolicy, rememberPolicy } from '../../policy/load.js';
import { classifyTarget } from '../remote-class.js';

/** Where the fleet is run from: the control checkout (or a plain folder) and its fleet file. */
export interface ControlPlace {
  /** the checkout's top level, or the folder itself outside git */
  root: string;
  repo: Repository | undefined;
  fleetFile: string;
  /** why running here is allowed, for the report */
  origin: { class: 'private' | 'none'; reason: string };
}

export interface ControlRequest {
  cwd: string;
  /** `--file`: the fleet file instead of `.mirror/fleet.yml` */
  file?: string;
  policyFile?: string;
}

/**
 * The fleet file names every customer, so fleet commands work only where it cannot
 * be pushed public by accident: a checkout whose `origin` the policy classes private,
 * or a folder that has no `origin` at all. Classed exactly as the guard classes a push.
 */
export async function openControl(request: ControlRequest): Promise<ControlPlace> {
  const repo = await Repository.open(request.cwd).catch(() => undefined);
  const root = repo?.info.root ?? resolve(request.cwd);
  const fleetFile = request.file ? resolve(request.cwd, request.file) : join(root, fleetFilePath);
  if (!repo || !(await repo.remotes()).includes('origin')) {
    return { root, repo, fleetFile, origin: { class: 'none', reason: repo ? 'this checkout has no origin remote' : 'not a git checkout' } };
  }
  const own = readRepositoryPolicy(repo.info.root, request.policyFile);
  const cacheDir = join(repo.info.commonDir, 'mirror');
  const { compiled } = await loadPolicy({ repository: request.policyFile ? own : rememberPolicy(cacheDir, own), cacheDir });
  const verdict = await classifyTarget(compiled.remotes, repo, 'origin');
  if (verdict.class === 'public') {
    throw new MirrorError('fleet-public-checkout', `refusing to run a fleet command here: origin is classed public (${verdict.reason})`, {
      exitCode: ExitCode.usage,
      suggestions: [
        'the fleet file names customers; keep it in a private control repository',
        'if origin is private, list it in .mirror/policy.yml: remotes: { private: [origin] }',
      ],
    });
  }
  return { root, repo, fleetFile, origin: { class: 'private', reason: verdict.reason } };
}

export interface FleetCheck {
  valid: boolean;
  file: string;
  origin: ControlPlace['origin'];
  errors: ErrorDetail[];
  upstream?: { url: string; branch: string };
  mirrors?: { name: string; forge: string; defaultBranch: string; labels: string[] }[];
}

/** `mirror fleet check`: the fleet file validated, errors as data, and what it declares. */
export async function checkFleet(request: ControlRequest): Promise<FleetCheck> {
  const place = await openControl(request);
  const result = readFleet(place.fleetFile);
  if (!result.ok) return { valid: false, file: place.fleetFile, origin: place.origin, errors: result.errors };
  const { fleet } = result;
  return {
    valid: true,
    file: place.fleetFile,
    origin: place.origin,
    errors: [],
    upstream: { url: redactUrl(fleet.upstream.url), branch: fleet.upstream.branch },
    mirrors: fleet.mirrors.map(({ name, forge, defaultBranch, labels }) => ({ name, forge, defaultBranch, labels })),
  };
}

/** The control place, its valid fleet file and the mirrors `labels` select; usage errors otherwise. */
export async function openFleet(request: ControlRequest, labels: string[]): Promise<{ place: ControlPlace; fleet: Fleet; mirrors: FleetMirror[] }> {
  const place = await openControl(request);
  const loaded = readFleet(place.fleetFile);
  if (!loaded.ok) {
    throw new MirrorError('fleet-invalid', 'the fleet file is invalid', { details: loaded.errors, suggestions: ['run `mirror fleet check` for the details'] });
  }
  const mirrors = selectMirrors(loaded.fleet.mirrors, labels);
  if (mirrors.length === 0) {
    throw new MirrorError('fleet-no-mirrors', `no mirror carries the label(s) ${labels.join(', ')}`, { suggestions: ['run `mirror fleet check` to see each mirror\'s labels'] });
  }
  return { place, fleet: loaded.fleet, mirrors };
}
