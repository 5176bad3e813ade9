/**
 * Bytes before the first difference and after the last one are unchanged from the
 * previous version, so every added line lies in between. The window is widened
 * to whole lines plus a margin, so a multi-line match (a PEM block, a Kubernetes
 * Secret) whose start did not change is still seen whole. Comparisons are native
 * memcmp: far cheaper than scanning text that did not change.
 */
export const WINDOW_MARGIN = 8 * 1024;
/** Below this, a blob is scanned whole: reading its previous version would cost more than it saves. */
export const WINDOW_MIN_BYTES = 64 * 1024;
const STEP = 4096;

export function changedWindow(data: Buffer, previous: Buffer, margin = WINDOW_MARGIN): { start: number; end: number } {
  const shorter = Math.min(data.length, previous.length);
  let prefix = 0;
  while (prefix + STEP <= shorter && data.compare(previous, prefix, prefix + STEP, prefix, prefix + STEP) === 0) prefix += STEP;
  while (prefix < shorter && data[prefix] === previous[prefix]) prefix++;
  let suffix = 0;
  const room = shorter - prefix;
  while (suffix + STEP <= room && data.compare(previous, previous.length - suffix - STEP, previous.length - suffix, data.length - suffix - STEP, data.length - suffix) === 0) suffix += STEP;
  while (suffix < room && data[data.length - 1 - suffix] === previous[previous.length - 1 - suffix]) suffix++;
  if (prefix === data.length && previous.length === data.length) return { start: 0, end: 0 };
  const from = Math.max(0, prefix - margin);
  const to = Math.min(data.length, data.length - suffix + margin);
  const start = from === 0 ? 0 : data.lastIndexOf(10, from - 1) + 1;
  const newline = data.indexOf(10, Math.max(to - 1, start));
  return { start, end: to >= data.length || newline === -1 ? data.length : newline + 1 };
}

/** How many lines precede an offset: the 1-based line of `offset` minus one. */
export function linesBefore(data: Buffer, offset: number): number {
  let count = 0;
  for (let at = data.indexOf(10); at !== -1 && at < offset; at = data.indexOf(10, at + 1)) count++;
  return count;
}
