import { relative } from 'node:path';
import type { BaselineResult } from '../app/baseline/baseline.js';

export function renderBaseline(action: 'create' | 'prune' | 'import', result: BaselineResult): string {
  const file = relative(process.cwd(), result.file) || result.file;
  const change = action === 'prune' ? `${result.dropped} dropped` : `${result.added} added`;
  const unmatched = result.unmatched ? `; ${result.unmatched} gitleaks entr${result.unmatched === 1 ? 'y' : 'ies'} matched no mirror finding` : '';
  return `mirror baseline ${action}: ${file} holds ${result.entries} finding(s) (${change}; scanned ${result.scanned})${unmatched}\n`;
}
