#!/usr/bin/env node
// Detection accuracy against other scanners' own labelled examples, mirror and gitleaks side by side.
//
//   node bench/detect-accuracy.mjs --gitleaks-repo DIR --noseyparker-repo DIR --gitleaks BIN [--mirror bin/run.js] [--out DIR]
//
// The corpora are extracted at benchmark time from the two projects' fetched git snapshots (nothing extracted is
// committed: the samples are live-format secrets):
//   - Nosey Parker: every rule file's `examples` (positives) and `negative_examples` (negatives), as written;
//   - gitleaks: every rule's `tps` and `fps` lists in cmd/generate/config/rules/*.go, the string literals as
//     written (samples built at test time by gitleaks' generators, `secrets.NewSecret(...)`, are left out: they
//     exist only when gitleaks' Go tests run).
// Each sample is one file; a tool detects a sample when it reports at least one finding in its file (for mirror:
// a violation or a low-confidence notice, i.e. anything it reports). Same files, same scoring for both tools.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const out = resolve(args.out ?? 'bench/.work/accuracy');
const mirror = resolve(args.mirror ?? 'bin/run.js');

function git(repo, ...rest) {
  return execFileSync('git', ['--git-dir', repo, ...rest], { encoding: 'utf8', maxBuffer: 256 << 20 });
}
function gitDir(repo) {
  return execFileSync('git', ['-C', repo, 'rev-parse', '--absolute-git-dir'], { encoding: 'utf8' }).trim();
}

function noseyParkerSamples(repo) {
  const dir = gitDir(repo);
  const commit = git(dir, 'rev-parse', 'HEAD').trim();
  const root = 'crates/noseyparker/data/default/builtin/rules';
  const samples = [];
  for (const file of git(dir, 'ls-tree', '--name-only', `HEAD:${root}`).split('\n').filter((f) => f.endsWith('.yml'))) {
    const doc = parseYaml(git(dir, 'show', `HEAD:${root}/${file}`));
    for (const rule of doc?.rules ?? []) {
      for (const text of rule.examples ?? []) samples.push({ rule: rule.id, positive: true, text });
      for (const text of rule.negative_examples ?? []) samples.push({ rule: rule.id, positive: false, text });
    }
  }
  return { name: 'noseyparker', commit, samples };
}

/** The string literals of `tps`/`fps` lists (`tps := []string{ ... }`, `fps = append(fps, ...)`), Go syntax. */
function goLists(source, name) {
  const lists = [];
  const start = new RegExp(`\\b${name}\\s*:?=\\s*(?:\\[\\]string\\s*\\{|append\\(\\s*${name}\\s*,)`, 'g');
  let m;
  while ((m = start.exec(source)) !== null) {
    // to the matching close of the list's brace or paren
    let depth = 1;
    let i = start.lastIndex;
    const items = [];
    let pure = true;
    let current = '';
    while (i < source.length && depth > 0) {
      const c = source[i];
      if (c === '`') {
        const end = source.indexOf('`', i + 1);
        current += source.slice(i + 1, end);
        i = end + 1;
        continue;
      }
      if (c === '"') {
        let j = i + 1;
        while (source[j] !== '"') j += source[j] === '\\' ? 2 : 1;
        current += JSON.parse(source.slice(i, j + 1).replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1'));
        i = j + 1;
        continue;
      }
      if (c === '/' && source[i + 1] === '/') {
        i = source.indexOf('\n', i);
        continue;
      }
      if (c === '{' || c === '(') depth++;
      else if (c === '}' || c === ')') depth--;
      if (depth === 0 || (depth === 1 && c === ',')) {
        if (current !== '' && pure) items.push(current);
        current = '';
        pure = true;
      } else if (!/[\s+]/.test(c)) {
        // anything but literals and `+` (a call, a variable): a sample built at test time
        pure = false;
      }
      i++;
    }
    lists.push(...items);
  }
  return lists;
}

function gitleaksSamples(repo) {
  const dir = gitDir(repo);
  const commit = git(dir, 'rev-parse', 'HEAD').trim();
  const root = 'cmd/generate/config/rules';
  const samples = [];
  for (const file of git(dir, 'ls-tree', '--name-only', `HEAD:${root}`).split('\n').filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))) {
    const source = git(dir, 'show', `HEAD:${root}/${file}`);
    const rule = file.replace(/\.go$/, '');
    for (const text of goLists(source, 'tps')) samples.push({ rule, positive: true, text });
    for (const text of goLists(source, 'fps')) samples.push({ rule, positive: false, text });
  }
  return { name: 'gitleaks', commit, samples };
}

/**
 * Both projects' negatives are per rule: "not this rule", often another rule's positive (Nosey Parker lists a
 * Slack user token as a negative of its bot-token rule). A negative that contains, or is contained in, any
 * positive of the same corpus is a secret by that corpus' own labels, so it is not scored as a negative.
 */
function dropContradictions(corpus) {
  const positives = corpus.samples.filter((s) => s.positive).map((s) => s.text.trim());
  const before = corpus.samples.length;
  corpus.samples = corpus.samples.filter((s) => s.positive || !positives.some((p) => p.includes(s.text.trim()) || s.text.includes(p)));
  corpus.contradictions = before - corpus.samples.length;
  return corpus;
}

function writeCorpus(corpus) {
  const root = join(out, corpus.name);
  rmSync(root, { recursive: true, force: true });
  corpus.samples.forEach((sample, i) => {
    sample.file = join(sample.positive ? 'pos' : 'neg', `${String(i).padStart(5, '0')}-${sample.rule.replace(/[^\w.-]/g, '_')}.txt`);
    mkdirSync(join(root, sample.positive ? 'pos' : 'neg'), { recursive: true });
    writeFileSync(join(root, sample.file), sample.text.endsWith('\n') ? sample.text : `${sample.text}\n`);
  });
  return root;
}

/** mirror names files from the enclosing repository's root when there is one: keep the sample's own part */
function sampleFile(path) {
  return path.replace(/^.*?(?=(?:pos|neg)\/\d{5}-)/, '');
}

function mirrorHits(root) {
  const run = spawnSync(process.execPath, [mirror, 'scan', '--format', 'json', '--min-confidence', 'low', '.'], { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (![0, 1].includes(run.status)) throw new Error(`mirror scan failed (${run.status}): ${run.stderr.slice(0, 400)}`);
  const report = JSON.parse(run.stdout);
  const hits = new Set();
  for (const entry of [...report.violations, ...report.notices]) if (entry.location?.path && entry.finding) hits.add(sampleFile(entry.location.path));
  return hits;
}

function gitleaksHits(root) {
  const report = join(out, `${root.split('/').pop()}-gitleaks.json`);
  const run = spawnSync(args.gitleaks, ['dir', '.', '--no-banner', '--log-level', 'error', '-f', 'json', '-r', report], { cwd: root, encoding: 'utf8' });
  if (![0, 1].includes(run.status)) throw new Error(`gitleaks failed (${run.status}): ${run.stderr.slice(0, 400)}`);
  return new Set(JSON.parse(readFileSync(report, 'utf8')).map((f) => sampleFile(f.File)));
}

function score(corpus, hits) {
  const pos = corpus.samples.filter((s) => s.positive);
  const neg = corpus.samples.filter((s) => !s.positive);
  const tp = pos.filter((s) => hits.has(s.file)).length;
  const fp = neg.filter((s) => hits.has(s.file)).length;
  return { positives: pos.length, negatives: neg.length, tp, fp, recall: tp / pos.length, fpRate: fp / neg.length };
}

const corpora = [];
if (args['gitleaks-repo']) corpora.push(dropContradictions(gitleaksSamples(args['gitleaks-repo'])));
if (args['noseyparker-repo']) corpora.push(dropContradictions(noseyParkerSamples(args['noseyparker-repo'])));
const results = [];
for (const corpus of corpora) {
  const root = writeCorpus(corpus);
  const mirrorSet = mirrorHits(root);
  const row = { corpus: corpus.name, commit: corpus.commit, contradictions: corpus.contradictions, mirror: score(corpus, mirrorSet) };
  if (args.gitleaks) row.gitleaks = score(corpus, gitleaksHits(root));
  row.missed = corpus.samples.filter((s) => s.positive && !mirrorSet.has(s.file)).map((s) => s.file);
  row.falsePositives = corpus.samples.filter((s) => !s.positive && mirrorSet.has(s.file)).map((s) => s.file);
  results.push(row);
}
writeFileSync(join(out, 'accuracy.json'), JSON.stringify(results, null, 2));
const pct = (x) => `${(100 * x).toFixed(1)} %`;
console.log('| Corpus (commit) | samples (pos / neg) | mirror recall | gitleaks recall | mirror FP rate | gitleaks FP rate |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of results) {
  const g = r.gitleaks;
  console.log(
    `| ${r.corpus} (\`${r.commit.slice(0, 12)}\`) | ${r.mirror.positives} / ${r.mirror.negatives} | **${pct(r.mirror.recall)}** (${r.mirror.tp}) | ${g ? `${pct(g.recall)} (${g.tp})` : '–'} | ${pct(r.mirror.fpRate)} (${r.mirror.fp}) | ${g ? `${pct(g.fpRate)} (${g.fp})` : '–'} |`,
  );
}
console.log(`\nnegatives left out as another rule's positive: ${results.map((r) => `${r.corpus} ${r.contradictions}`).join(', ')}`);
console.log(`missed and false positives per corpus: ${join(out, 'accuracy.json')}`);
