import { relative } from 'node:path';
import type { PolicyExplanation } from '../app/policy/check.js';

export function renderPolicy(explanation: PolicyExplanation, cwd: string): string {
  const show = (file: string) => relative(cwd, file) || file;
  const lines = [`policy   ${explanation.files.map(show).join(' + ')}`];
  if (!explanation.valid) {
    lines.push('', `✗ invalid: ${explanation.errors.length} error(s)`);
    for (const error of explanation.errors) {
      const where = [error.file && show(error.file), error.line, error.column].filter((part) => part !== undefined).join(':');
      lines.push(`  ${where}${error.field ? ` ${error.field}` : ''}: ${error.message}`);
    }
    return `${lines.join('\n')}\n`;
  }
  const e = explanation.effective!;
  lines.push('', '✓ valid', '', 'private zones (refused toward public remotes):');
  for (const zone of e.zones) lines.push(`  ${zone.name.padEnd(14)} ${zone.include.join(', ')}${zone.exclude.length ? `  except ${zone.exclude.join(', ')}` : ''}`);
  lines.push('', 'remotes (a remote in neither list is public):');
  lines.push(`  private entries: ${e.remoteEntries.private.join(', ') || '(none)'}`);
  lines.push(`  public entries:  ${e.remoteEntries.public.join(', ') || '(none)'}`);
  for (const remote of e.remotes) lines.push(`  ${remote.name} → ${remote.class} (${remote.reason})`);
  lines.push('', `secret rules: ${e.rules.total} (${Object.entries(e.rules.byTag).map(([tag, n]) => `${tag} ${n}`).join(', ')})`);
  lines.push(`allowlist: ${e.allowlist.paths} path globs, ${e.allowlist.regexes} regexes, ${e.allowlist.stopwords} stopwords`);
  lines.push(`ignores: ${e.ignores.length}`);
  for (const ignore of e.ignores) lines.push(`  ${ignore.fingerprint}: ${ignore.reason}`);
  lines.push(`private identifiers: ${e.identifiers.loaded} loaded from ${e.identifiers.sources.join(' and ') || 'nowhere'} (shown only by label)`);
  lines.push(`limits: files over ${e.limits.maxFileBytes} bytes are not scanned (${e.limits.oversize})`);
  lines.push(`sync: upstream remote "${e.sync.upstreamRemote}", mirror remote "${e.sync.mirrorRemote}", branch "${e.sync.branch}"`);
  return `${lines.join('\n')}\n`;
}
