import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { artifactMismatch, safeEntryPath, safeName } from '../../core/run/artifact-check.js';
import type { ArtifactInfo } from '../../core/run/types.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { connectRuns, type RunConnection, type RunConnectionRequest } from './connect.js';
import { targetIds } from './watch.js';

export interface DownloadRequest extends RunConnectionRequest {
  ids: number[];
  all?: boolean;
  batch?: string;
  /** default `mirror-runs/<id>`; with several runs, `DIR/<id>` */
  dir?: string;
  /** only this artifact */
  name?: string;
  logs?: boolean;
}

export interface DownloadedArtifact {
  name: string;
  dir: string;
  files: string[];
  bytes: number;
  digest?: string;
}

export interface DownloadResult {
  runs: Array<{ id: number; dir: string; artifacts: DownloadedArtifact[]; logs: string[] }>;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const isZip = (bytes: Uint8Array) => ZIP_MAGIC.every((byte, index) => bytes[index] === byte) || (bytes.length === 22 && bytes[0] === 0x50 && bytes[1] === 0x4b);

/** The run's artifacts, verified (size, digest) and unpacked; an expired artifact or an empty run is an error, never a silent success. */
export async function downloadRuns(request: DownloadRequest, connected?: RunConnection): Promise<DownloadResult> {
  const connection = connected ?? (await connectRuns(request));
  const ids = targetIds(connection, request);
  const base = resolve(request.cwd, request.dir ?? 'mirror-runs');
  const runs: DownloadResult['runs'] = [];
  for (const id of ids) {
    const dir = request.dir && ids.length === 1 ? base : join(base, String(id));
    runs.push(await downloadRun(connection, id, dir, request));
  }
  return { runs };
}

async function downloadRun(connection: RunConnection, id: number, dir: string, request: DownloadRequest) {
  const { api, repoRef } = connection;
  let artifacts = await api.artifacts(repoRef, id);
  if (request.name !== undefined) artifacts = artifacts.filter((artifact) => artifact.name === request.name);
  if (artifacts.length === 0 && !request.logs) {
    throw new MirrorError('run-no-artifacts', request.name ? `run ${id} has no artifact named ${request.name}` : `run ${id} has no artifacts (yet)`, {
      exitCode: ExitCode.violations,
      suggestions: ['`mirror run show ID` lists what the run uploaded; a run still in progress may upload at its end'],
    });
  }
  const expired = artifacts.filter((artifact) => artifact.expired);
  if (expired.length > 0) {
    throw new MirrorError('run-artifact-expired', `run ${id}: artifact ${expired.map((artifact) => artifact.name).join(', ')} has expired${expired[0]!.expiresAt ? ` (on ${expired[0]!.expiresAt})` : ''}`, {
      exitCode: ExitCode.usage,
      suggestions: ['run the experiment again, with a longer retention (the template\'s retention_days input)'],
    });
  }
  const downloaded: DownloadedArtifact[] = [];
  for (const artifact of artifacts) downloaded.push(await fetchArtifact(connection, id, artifact, dir));
  const logs: string[] = [];
  if (request.logs) {
    for (const job of await api.jobs(repoRef, id)) {
      const file = join(dir, 'logs', `${safeName(job.name)}-${job.id}.log`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, await api.jobLog(repoRef, job.id));
      logs.push(file);
    }
  }
  return { id, dir, artifacts: downloaded, logs };
}

/** One artifact's bytes, checked, then unpacked under DIR/<artifact>/ (a non-zipped artifact is written as one file). */
export async function fetchArtifact(connection: RunConnection, runId: number, artifact: ArtifactInfo, dir: string): Promise<DownloadedArtifact> {
  const bytes = await connection.api.downloadArtifact(connection.repoRef, artifact);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const mismatch = artifactMismatch(artifact, { bytes: bytes.length, sha256 });
  if (mismatch) {
    throw new MirrorError('run-artifact-corrupt', `run ${runId}: artifact ${artifact.name} failed verification: ${mismatch}; nothing was written`, {
      exitCode: ExitCode.internal,
      suggestions: ['download it again; a proxy that rewrites downloads would explain a lasting mismatch'],
    });
  }
  const target = join(dir, safeName(artifact.name));
  const files: string[] = [];
  if (isZip(bytes)) {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(bytes);
    } catch (error) {
      throw new MirrorError('run-artifact-corrupt', `run ${runId}: artifact ${artifact.name} is not a readable zip: ${(error as Error).message}`, { exitCode: ExitCode.internal });
    }
    const planned: Array<[string, Uint8Array]> = [];
    for (const [name, content] of Object.entries(entries)) {
      if (name.endsWith('/')) continue;
      const path = safeEntryPath(name);
      if (!path) {
        throw new MirrorError('run-artifact-unsafe', `run ${runId}: artifact ${artifact.name} holds ${JSON.stringify(name)}, which would land outside its folder; nothing was written`, { exitCode: ExitCode.internal });
      }
      planned.push([path, content]);
    }
    for (const [path, content] of planned) {
      const file = join(target, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      files.push(path);
    }
  } else {
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, safeName(artifact.name)), bytes);
    files.push(safeName(artifact.name));
  }
  return { name: artifact.name, dir: target, files: files.sort(), bytes: bytes.length, ...(artifact.digest ? { digest: artifact.digest } : {}) };
}

/** The parsed metrics.json of a run's artifacts (in memory), for compare. */
export async function readMetrics(connection: RunConnection, runId: number): Promise<{ metrics?: unknown; problem?: string }> {
  const artifacts = (await connection.api.artifacts(connection.repoRef, runId)).filter((artifact) => !artifact.expired);
  if (artifacts.length === 0) return { problem: 'no artifact' };
  for (const artifact of artifacts) {
    const bytes = await connection.api.downloadArtifact(connection.repoRef, artifact);
    if (!isZip(bytes)) continue;
    const entries = unzipSync(bytes, { filter: (file) => /(^|\/)metrics\.json$/.test(file.name) });
    const name = Object.keys(entries).sort((a, b) => a.split('/').length - b.split('/').length)[0];
    if (!name) continue;
    try {
      return { metrics: JSON.parse(new TextDecoder().decode(entries[name])) };
    } catch {
      return { problem: 'metrics.json is not JSON' };
    }
  }
  return { problem: 'no metrics.json' };
}
