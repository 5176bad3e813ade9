/** `a..b`, or a single revision meaning everything reachable from it. */
export function parseRange(spec: string): { base?: string; head: string } {
  if (spec.includes('...')) throw new Error('use "base..head": the symmetric "..." range would skip commits the base has');
  const parts = spec.split('..');
  if (parts.length > 2) throw new Error(`"${spec}" is not a range of the form base..head`);
  if (parts.length === 1) return { head: parts[0]! };
  const [base, head] = parts;
  return { base: base || undefined, head: head || 'HEAD' };
}
