// Loaded by bench/lib.sh (NODE_OPTIONS=--require) into mirror's node process when
// measuring peak memory. GNU time reports the largest process of the whole tree,
// which may be a git that mirror started; this records node's own peak RSS
// (getrusage RUSAGE_SELF, in kB) so results.md can tell the two apart.
'use strict';
const fs = require('node:fs');
// mirror runs node twice for history-sized commands (the second with heap flags):
// both inherit this preload, so keep the larger of the two peaks.
process.on('exit', () => {
  const file = process.env.BENCH_NODE_RSS_FILE;
  if (!file) return;
  let previous = 0;
  try {
    previous = Number(fs.readFileSync(file, 'utf8')) || 0;
  } catch {
    // first process to finish
  }
  fs.writeFileSync(file, String(Math.max(previous, process.resourceUsage().maxRSS)));
});
