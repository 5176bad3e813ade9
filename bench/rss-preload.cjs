// Loaded by bench/lib.sh (NODE_OPTIONS=--require) into mirror's node process when
// measuring peak memory. GNU time reports the largest process of the whole tree,
// which may be a git that mirror started; this records node's own peak RSS
// (getrusage RUSAGE_SELF, in kB) so results.md can tell the two apart.
'use strict';
const fs = require('node:fs');
process.on('exit', () => {
  const file = process.env.BENCH_NODE_RSS_FILE;
  if (file) fs.writeFileSync(file, String(process.resourceUsage().maxRSS));
});
