import type { Finding } from '../detect/types.js';

/**
 * Keeps the findings that touch a line the new version adds. A line already in
 * the parent's version was published (or is checked) with that version; this is
 * what lets a push to a remote with old history report only what it adds.
 * Findings carry only a start line, so a multi-line match counts as added when
 * any line from its start to `endLine` (when known) is new.
 */
export function onAddedLines<F extends Pick<Finding, 'line' | 'endLine'>>(findings: readonly F[], newText: string, oldText: string | undefined): F[] {
  if (oldText === undefined || findings.length === 0) return [...findings];
  const oldLines = new Set(oldText.split('\n'));
  const newLines = newText.split('\n');
  return findings.filter((finding) => {
    const last = Math.max(finding.line, finding.endLine ?? finding.line);
    for (let line = finding.line; line <= last; line++) {
      if (!oldLines.has(newLines[line - 1] ?? '')) return true;
    }
    return false;
  });
}
