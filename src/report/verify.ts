import type { VerifyResult } from '../app/verify/verify.js';
import { printable } from './describe.js';
import { renderText } from './text.js';

const EXPLAINED: Record<string, string> = {
  'sync-up': 'waiting to go up (sync-up)',
  'sync-down': 'upstream change not merged yet (sync-down)',
  both: 'changed on both sides (sync-down, then sync-up)',
  'held-back': 'changed by mirror commits sync-up holds back (blocked, private, or unsplit)',
  unexplained: 'not explained by the sync flow: changed outside it',
};

export function renderVerify(result: VerifyResult, cwd: string): string {
  const lines = [renderText(result.report, { cwd }).trimEnd()];
  if (result.recorded) lines.push('', 'verified tips recorded under refs/mirror/verified/: the next run starts from here');
  lines.push('', result.drift.length ? `drift between main and upstream (public paths): ${result.drift.length}` : 'no drift: the mirror\'s public paths match upstream');
  for (const entry of result.drift) lines.push(`  ${entry.kind.padEnd(13)} ${printable(entry.path)}  — ${EXPLAINED[entry.explanation]}`);
  return `${lines.join('\n')}\n`;
}
