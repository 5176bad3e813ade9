export type DownStep = { op: 'merge' } | { op: 'rebase' } | { op: 'push' } | { op: 'ci-pull-request' };

export interface DownContext {
  /** HEAD before anything: abort returns here */
  origHead: string;
  branch: string;
  upstreamRef: string;
  mirrorRemote: string;
  /** in CI on a protected branch: the branch pushed instead of main */
  ciBranch?: string;
  pushedTo?: string;
  pullRequestUrl?: string;
  apiUrl?: string;
  forge?: 'github' | 'forgejo';
  /** the upstream commit being merged, fixed when the run started (the tracking ref may move meanwhile) */
  upstreamOid?: string;
  /** paths the merge or rebase may write that origHead does not track (and their folders) */
  writable?: string[];
  /** which of those existed before the run: abort keeps them, and deletes the rest */
  existedBefore?: string[];
}

export function compileDownSteps(options: { rebase: boolean; push: boolean; ci: boolean }): DownStep[] {
  const steps: DownStep[] = [{ op: options.rebase ? 'rebase' : 'merge' }];
  if (options.push) steps.push({ op: options.ci ? 'ci-pull-request' : 'push' });
  return steps;
}
