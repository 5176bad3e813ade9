import { describeSecretRef, secretsInValue } from '../audit/expressions.js';
import { classifyRunsOn } from '../audit/runners.js';
import { get, parseYamlTree, scalars } from '../audit/yaml-tree.js';

/** The folders the forges run workflows from. */
const WORKFLOW_FILE = /^\.(github|forgejo|gitea)\/workflows\/[^/]+\.ya?ml$/i;

export function isWorkflowPath(path: string): boolean {
  return WORKFLOW_FILE.test(path.normalize('NFC'));
}

/**
 * Why a workflow belongs to the private side: it runs on particular (self-hosted)
 * runners, or reads secrets other than the automatic token (`secrets: inherit`
 * passes them all). Such a workflow cannot run upstream and tells the public which
 * runners and secrets the mirror has. Empty when neither. The audit's own readers
 * do the work (runs-on resolved against the matrix and expression literals); a file
 * that does not parse is read as text, so a broken workflow is held too when its
 * text names `self-hosted` or a secret.
 */
export function workflowHoldReasons(text: string): string[] {
  const reasons = new Set<string>();
  const secret = (value: string, isCondition: boolean) => {
    for (const ref of secretsInValue(value, isCondition)) reasons.add(`reads ${describeSecretRef(ref)}`);
  };
  const tree = parseYamlTree(text);
  if (!tree.ok) {
    if (/\bself-hosted\b/i.test(text)) reasons.add('names self-hosted runners');
    secret(text, false);
    return [...reasons];
  }
  const jobs = get(tree.root, 'jobs');
  if (jobs?.kind === 'map') {
    for (const { key, value: job } of jobs.entries) {
      const runner = classifyRunsOn(get(job, 'runs-on'), get(job, 'strategy'));
      // placement (self-hosted, a host) and capabilities alike name the mirror's own runners
      if (runner.type === 'placed' || runner.type === 'capability') reasons.add(`job ${key} ${runner.message}`);
    }
  }
  for (const { value, path } of scalars(tree.root)) {
    const field = path[path.length - 1];
    if (field === 'secrets' && value.trim().toLowerCase() === 'inherit') reasons.add('passes every secret to a called workflow (secrets: inherit)');
    secret(value, field === 'if');
  }
  return [...reasons];
}
