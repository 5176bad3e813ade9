import type { InitAction, InitResult, InitStatus } from '../app/init/init.js';

const WORD: Record<InitStatus, string> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged',
  kept: 'kept',
  'would-create': 'would create',
  'would-update': 'would update',
};

function label(action: InitAction): string {
  switch (action.kind) {
    case 'remote':
      return `remote ${action.target}`;
    case 'hook':
      return `${action.target} hook`;
    default:
      return action.target;
  }
}

/** One line per file, remote and hook; with --dry-run, the contents that would be written. */
export function renderInit(result: InitResult): string {
  const role = result.role === 'mirror' ? 'private mirror' : result.role === 'fleet' ? "fleet's control repository" : 'public repository';
  const lines = [`mirror init: ${role} (${result.forge} workflows, action ${result.actionRef})${result.dryRun ? ', dry run: nothing is written' : ''}`, ''];
  const width = Math.max(...result.actions.map((action) => WORD[action.status].length));
  for (const action of result.actions) {
    lines.push(`  ${WORD[action.status].padEnd(width)}  ${label(action)}${action.detail ? `  (${action.detail})` : ''}`);
  }
  lines.push('');
  if (!result.changed) lines.push('Nothing to change: everything is already in place.');
  else if (result.dryRun) lines.push('Run again without --dry-run to write these.');
  else {
    const files = result.actions.filter((action) => (action.kind === 'policy' || action.kind === 'workflow' || action.kind === 'gitignore') && (action.status === 'created' || action.status === 'updated'));
    if (files.length > 0) lines.push(`Next: review and commit ${files.map((action) => action.target).join(', ')}; then \`mirror doctor\` checks the rest.`);
    else lines.push('Done; `mirror doctor` checks the rest.');
  }
  for (const note of result.notes) lines.push(`note: ${note}`);
  if (result.dryRun) {
    for (const action of result.actions) {
      if (action.content === undefined) continue;
      lines.push('', `--- ${action.target} (${WORD[action.status]})`, action.content.replace(/\n$/, ''));
    }
  }
  return `${lines.join('\n')}\n`;
}
