/**
 * Throughput of the secret detector with the shipped default policy.
 *
 * Corpus: the JavaScript, TypeScript, JSON and Markdown files of this project's
 * node_modules (real source text of many authors, including minified bundles and
 * generated files), at least MIN_MB of it. Every file is scanned as one blob, the way
 * the guard scans new blobs, under a path outside the global allowlist (node_modules
 * and *.min.js are allowlisted in the default policy; here they must be scanned).
 *
 * Run:    npx -y tsx@4.23.14 bench/detect-throughput.ts [--root DIR] [--min-mb N] [--reps N] [--show]
 * Prints: corpus size, MB/s per repetition by wall clock and by CPU time (best and median),
 *         findings by rule.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDetector } from '../src/core/detect/index.js';
import type { Finding } from '../src/core/detect/types.js';
import { packageRoot } from '../src/paths.js';
import { readDefaultPolicy } from '../src/policy/load.js';
import { resolvePolicy } from '../src/policy/resolve.js';

const EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.json', '.md']);
/** The guard skips larger blobs (limits.maxFileBytes in the default policy). */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

interface Args {
  root: string;
  minMb: number;
  reps: number;
  /** print every finding (path, line, rule, masked value) */
  show: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { root: join(packageRoot, 'node_modules'), minMb: 50, reps: 3, show: false };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--show') args.show = true;
    else if (argv[i] === '--root' && value) args.root = value;
    else if (argv[i] === '--min-mb' && value) args.minMb = Number(value);
    else if (argv[i] === '--reps' && value) args.reps = Number(value);
    else continue;
    i++;
  }
  return args;
}

interface Blob {
  path: string;
  text: string;
  bytes: number;
}

function collect(root: string): Blob[] {
  const blobs: Blob[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && EXTENSIONS.has(extname(entry.name))) {
        const bytes = statSync(full).size;
        if (bytes === 0 || bytes > MAX_FILE_BYTES) continue;
        // A path the default policy does not allowlist: node_modules/ and .min.js would be skipped.
        const path = 'corpus/' + relative(root, full).split('\\').join('/').replace(/\.min\.js$/, '.bundle.js');
        blobs.push({ path, text: readFileSync(full, 'utf8'), bytes });
      }
    }
  };
  walk(root);
  return blobs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const resolution = await resolvePolicy(readDefaultPolicy());
  if (!resolution.ok) throw new Error(`the default policy is invalid: ${JSON.stringify(resolution.errors)}`);
  const config = resolution.compiled.detection;
  const detector = createDetector(config);

  const blobs = collect(args.root);
  const bytes = blobs.reduce((sum, b) => sum + b.bytes, 0);
  const mb = bytes / 1e6;
  console.log(`rules: ${config.rules.length} (${config.rules.filter((r) => r.tags.includes('provider')).length} provider)`);
  console.log(`corpus: ${blobs.length} files, ${mb.toFixed(1)} MB from ${args.root}`);
  if (mb < args.minMb) throw new Error(`corpus is ${mb.toFixed(1)} MB, below the ${args.minMb} MB asked for`);

  // Wall-clock MB/s is what a user sees; CPU-time MB/s is what the detector costs, and
  // stays meaningful when other processes compete for the machine.
  const runs: number[] = [];
  const cpuRuns: number[] = [];
  let findings: { path: string; finding: Finding }[] = [];
  for (let rep = 0; rep <= args.reps; rep++) {
    const found: { path: string; finding: Finding }[] = [];
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    for (const blob of blobs) {
      for (const finding of detector.scan(blob.text, { kind: 'content', path: blob.path })) {
        found.push({ path: blob.path, finding });
      }
    }
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    if (rep === 0) {
      console.log(`warm-up: ${(mb / seconds).toFixed(0)} MB/s`);
      continue;
    }
    runs.push(mb / seconds);
    cpuRuns.push(mb / cpuSeconds);
    findings = found;
    console.log(`run ${rep}: ${seconds.toFixed(2)} s wall, ${(mb / seconds).toFixed(0)} MB/s; ${cpuSeconds.toFixed(2)} s CPU, ${(mb / cpuSeconds).toFixed(0)} MB/s`);
  }
  console.log(`throughput (wall): best ${Math.max(...runs).toFixed(0)} MB/s, median ${median(runs).toFixed(0)} MB/s`);
  console.log(`throughput (CPU):  best ${Math.max(...cpuRuns).toFixed(0)} MB/s, median ${median(cpuRuns).toFixed(0)} MB/s`);

  const reported = findings.filter((f) => !f.finding.suppressed);
  const byRule = new Map<string, number>();
  for (const { finding } of reported) byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
  console.log(`findings: ${reported.length} reported, ${findings.length - reported.length} suppressed`);
  for (const [rule, count] of [...byRule].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${count}\t${rule}`);
  if (args.show) {
    for (const { path, finding: f } of reported) console.log(`${path}:${f.line}:${f.column}\t${f.ruleId}\t${f.masked}`);
  }
}

await main();
