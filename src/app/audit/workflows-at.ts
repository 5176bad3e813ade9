import { Repository } from '../../adapters/git/repository.js';
import { auditWorkflows, referencedScripts, type WorkflowSource } from '../../core/audit/classify.js';
import type { AuditOptions, AuditResult } from '../../core/audit/types.js';
import { WORKFLOW_DIRECTORIES } from './workflows.js';

export interface AuditsAtCommits {
  /** the audit of the workflow files as they were at a commit; undefined when the clone lacks it */
  auditOf: (commit: string) => AuditResult | undefined;
  notes: string[];
}

/**
 * The workflow files (and the scripts they call) as they were at each commit the runs
 * ran, audited with the work tree's options: a job is classed by the file that ran
 * it, not by today's. Commits the clone lacks fall back to the work tree (said in a
 * note). One audit per distinct set of workflow blobs, so a window of runs over a few
 * workflow versions costs a few audits.
 */
export async function auditsAtCommits(cwd: string, commits: string[], options: AuditOptions): Promise<AuditsAtCommits> {
  const distinct = [...new Set(commits)];
  const repo = await Repository.open(cwd).catch(() => undefined);
  if (!repo || distinct.length === 0) {
    return { auditOf: () => undefined, notes: distinct.length ? [`not a git repository: every run's jobs were classed by the workflow files in the directory`] : [] };
  }
  const byCommit = new Map<string, AuditResult>();
  const byBlobs = new Map<string, AuditResult>();
  const currentKey = blobsKey(await workflowBlobs(repo, 'HEAD').catch(() => []));
  let missing = 0;
  let older = 0;
  for (const sha of distinct) {
    const commit = /^[0-9a-f]{7,64}$/i.test(sha) ? await repo.commitOf(sha) : undefined;
    if (commit === undefined) {
      missing++;
      continue;
    }
    const blobs = await workflowBlobs(repo, commit);
    const key = blobsKey(blobs);
    let audit = byBlobs.get(key);
    if (audit === undefined) {
      const sources: WorkflowSource[] = [];
      for (const blob of blobs) sources.push({ file: blob.path, platform: blob.platform, text: await blobText(repo, blob.oid) });
      const scripts: Record<string, string> = {};
      for (const path of referencedScripts(sources)) {
        const text = await fileAt(repo, commit, path);
        if (text !== undefined) scripts[path] = text;
      }
      audit = auditWorkflows(sources, { ...options, directories: [...new Set(blobs.map((blob) => blob.dir))], scripts, notes: [] });
      byBlobs.set(key, audit);
    }
    if (key !== currentKey) older++;
    byCommit.set(sha, audit);
  }
  const notes: string[] = [];
  if (older > 0) notes.push(`${older} of ${distinct.length} run commits ran workflow files other than HEAD's: their jobs are classed by the files as they were then`);
  if (missing > 0) notes.push(`${missing} of ${distinct.length} run commits are not in this clone: their jobs were classed by the work tree's workflow files (fetch them to class each run by the files it ran)`);
  return { auditOf: (sha) => byCommit.get(sha), notes };
}

interface Blob {
  path: string;
  dir: string;
  platform: WorkflowSource['platform'];
  oid: string;
}

/** The workflow files of a commit: `*.yml` / `*.yaml` directly in the forges' workflow directories. */
async function workflowBlobs(repo: Repository, commit: string): Promise<Blob[]> {
  const dirs = WORKFLOW_DIRECTORIES.map((entry) => entry.dir);
  const out = (await repo.git(['ls-tree', '-z', '--full-tree', commit, '--', ...dirs.map((dir) => `${dir}/`)])).stdout.toString('utf8');
  const blobs: Blob[] = [];
  for (const record of out.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    const [, type, oid] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    const dir = path.slice(0, path.lastIndexOf('/'));
    const where = WORKFLOW_DIRECTORIES.find((entry) => entry.dir === dir);
    if (type !== 'blob' || !where || !/\.ya?ml$/i.test(path)) continue;
    blobs.push({ path, dir, platform: where.platform, oid: oid! });
  }
  return blobs.sort((a, b) => a.path.localeCompare(b.path));
}

function blobsKey(blobs: Blob[]): string {
  return blobs.map((blob) => `${blob.path} ${blob.oid}`).join('\n');
}

async function blobText(repo: Repository, oid: string): Promise<string> {
  return (await repo.git(['cat-file', 'blob', oid])).stdout.toString('utf8');
}

async function fileAt(repo: Repository, commit: string, path: string): Promise<string | undefined> {
  const result = await repo.git(['cat-file', 'blob', `${commit}:${path}`], { okCodes: [128] });
  return result.code === 0 ? result.stdout.toString('utf8') : undefined;
}
