import { relative } from 'node:path';
import type { FleetCheck } from '../app/fleet/control.js';

export function renderFleetCheck(check: FleetCheck, cwd: string): string {
  const show = (file: string) => relative(cwd, file) || file;
  const lines = [`fleet    ${show(check.file)}`, `origin   ${check.origin.reason}`];
  if (!check.valid) {
    lines.push('', `✗ invalid: ${check.errors.length} error(s)`);
    for (const error of check.errors) {
      const where = [error.file && show(error.file), error.line, error.column].filter((part) => part !== undefined).join(':');
      lines.push(`  ${where}${error.field ? ` ${error.field}` : ''}: ${error.message}`);
    }
    return `${lines.join('\n')}\n`;
  }
  lines.push('', '✓ valid', '', `upstream ${check.upstream!.url} (branch ${check.upstream!.branch})`, `mirrors  ${check.mirrors!.length}`);
  for (const mirror of check.mirrors!) {
    lines.push(`  ${mirror.name.padEnd(20)} ${mirror.forge.padEnd(8)} ${mirror.defaultBranch}${mirror.labels.length ? `  [${mirror.labels.join(', ')}]` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
