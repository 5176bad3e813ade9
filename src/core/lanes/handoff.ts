/**
 * What a split hands over: the files the steps moving to the lane write that the
 * steps staying local read (a build's output, a coverage report). Read from the
 * workflow text alone, so it is a reading, not a proof: build tools' default output
 * directories and explicit output options on the moving side, path-like words on the
 * staying side. `--artifact PATH` names the files when the reading misses them.
 */

export interface StepText {
  label: string;
  /** `run:` */
  run?: string;
  /** `with:` values */
  inputs: string[];
  /** the step's working directory (its own, or the job's or workflow's default) */
  workingDirectory?: string;
}

export interface Handoff {
  /** workspace-relative paths, in the order the staying steps name them */
  paths: string[];
  /** one line per path: which staying step reads it, which moving step writes it */
  evidence: string[];
}

/** Build commands and the directory each writes by default. */
const DEFAULT_OUTPUTS: { pattern: RegExp; dirs: string[]; what: string }[] = [
  { pattern: /\bcargo\s+(?:\+\S+\s+)?(?:build|b|test|bench|doc)\b/, dirs: ['target'], what: 'cargo' },
  { pattern: /(?:\bmvn|\.\/mvnw)\b[^\n;&|]*\b(?:package|install|verify)\b/, dirs: ['target'], what: 'maven' },
  { pattern: /(?:\bgradle|\.\/gradlew)\b[^\n;&|]*\b(?:build|assemble|jar|bootJar|test)\b/, dirs: ['build'], what: 'gradle' },
  { pattern: /\bpython3?\s+-m\s+build\b|\bsetup\.py\s+(?:sdist|bdist\w*)\b|\b(?:poetry|hatch|uv|pdm|flit)\s+build\b/, dirs: ['dist'], what: 'python build' },
  { pattern: /(?:\bbuild-storybook\b|\bstorybook\s+build\b)/, dirs: ['storybook-static'], what: 'storybook' },
  { pattern: /--coverage\b|\bc8\b|\bnyc\b/, dirs: ['coverage'], what: 'coverage' },
  { pattern: /\bpytest\b[^\n]*--cov\b|\bcoverage\s+(?:run|xml|html)\b/, dirs: ['coverage.xml', '.coverage', 'htmlcov'], what: 'coverage.py' },
  { pattern: /\b(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?build\b|\b(?:vite|next|nuxt|astro|tsc|webpack|rollup|esbuild|parcel)\b[^\n]*\bbuild\b|\btsc\b|\bmake\b/, dirs: ['dist', 'build', 'out', '.next'], what: 'build' },
  { pattern: /\bhugo\b/, dirs: ['public'], what: 'hugo' },
  { pattern: /\bjekyll\s+build\b/, dirs: ['_site'], what: 'jekyll' },
  { pattern: /\bmkdocs\s+build\b/, dirs: ['site'], what: 'mkdocs' },
  { pattern: /\bgo\s+test\b[^\n]*-coverprofile[= ](\S+)/, dirs: [], what: 'go test' },
];

/** `-o X`, `--out-dir=X`, `> X`: where a command says it writes. */
const OUTPUT_OPTION = /(?:^|\s)(?:-o|--out|--output|--out-?dir|--outDir|--output-dir|--dest|--target-dir|-coverprofile|--junitxml|--outputFile|--output-file|--reporter-outfile)(?:=|\s+)("[^"]+"|'[^']+'|[^\s;&|]+)|(?:^|[^\d&>])>{1,2}\s*("[^"]+"|'[^']+'|[^\s;&|]+)/g;

/** Finds what the staying steps read of what the moving steps write; undefined when nothing is. */
export function findHandoff(moving: StepText[], staying: StepText[]): Handoff | undefined {
  // a path (or a directory) -> the moving step that writes it, and how we know
  const written = new Map<string, { step: string; why?: string }>();
  const remember = (path: string, step: string, why?: string) => {
    const key = beforeGlob(path);
    if (key !== '' && !written.has(key)) written.set(key, { step, ...(why ? { why } : {}) });
  };
  for (const step of moving) {
    const text = step.run ?? '';
    for (const rule of DEFAULT_OUTPUTS) {
      const match = rule.pattern.exec(text);
      if (!match) continue;
      for (const dir of rule.dirs) remember(resolve(step.workingDirectory, dir), step.label, `${rule.what} writes ${dir}/ by default`);
      if (match[1]) remember(resolve(step.workingDirectory, clean(match[1])), step.label);
    }
    for (const match of text.matchAll(OUTPUT_OPTION)) {
      const path = clean(match[1] ?? match[2] ?? '');
      if (isRelativePath(path)) remember(resolve(step.workingDirectory, path), step.label);
    }
  }
  if (written.size === 0) return undefined;

  const writerOf = (path: string) => {
    for (let end = path.length; end > 0; end = path.lastIndexOf('/', end - 1)) {
      const found = written.get(path.slice(0, end));
      if (found) return found;
    }
    return undefined;
  };
  const paths: string[] = [];
  const evidence: string[] = [];
  for (const step of staying) {
    const words = [
      ...(step.run ? runWords(step.run).map((word) => resolve(step.workingDirectory, word)) : []),
      ...step.inputs.flatMap(inputWords),
    ];
    for (const word of words) {
      const path = beforeGlob(word);
      if (path === '' || paths.some((kept) => kept === path || path.startsWith(`${kept}/`))) continue;
      const writer = writerOf(path);
      if (writer === undefined) continue;
      // a directory named after one of its files replaces the file
      for (let i = paths.length - 1; i >= 0; i--) {
        if (paths[i]!.startsWith(`${path}/`)) {
          paths.splice(i, 1);
          evidence.splice(i, 1);
        }
      }
      paths.push(path);
      evidence.push(`"${step.label}" reads ${path}, which "${writer.step}" writes${writer.why ? ` (${writer.why})` : ''}`);
    }
  }
  return paths.length === 0 ? undefined : { paths, evidence };
}

function clean(word: string): string {
  return word.replace(/^["']|["']$/g, '').replace(/^\.\//, '').replace(/\/+$/, '');
}

/** Words of a script that read as relative paths: with a slash or a file extension (`build` alone is a word, `build/` a path). */
function runWords(text: string): string[] {
  return text
    .split(/[\s,;|&()=<>`]+/)
    .filter((word) => /\/|\.\w+$/.test(word))
    .map(clean)
    .filter(isRelativePath);
}

/** An input's paths: one per line or comma; a single word is a path here (`path: dist`, `storybookBuildDir: storybook-static`). */
function inputWords(value: string): string[] {
  const parts = value.split(/[\n,]+/).map((part) => part.trim()).filter((part) => part !== '');
  return parts.flatMap((part) => (/\s/.test(part) ? runWords(part) : [clean(part)])).filter(isRelativePath);
}

function isRelativePath(word: string): boolean {
  if (word === '' || word === '.' || word.startsWith('-') || word.startsWith('/') || word.startsWith('~') || word.includes('$') || word.includes('://') || word.includes('{{')) return false;
  if (word.startsWith('..')) return false;
  // a path has a slash, or is a file name with an extension, or a bare directory name a build writes
  return /^[\w.*@+-]+(?:\/[\w.*@+-]*)*$/.test(word);
}

/** `dist/*.tgz` -> `dist`; `coverage/lcov.info` stays. */
function beforeGlob(path: string): string {
  const segments = path.split('/');
  const at = segments.findIndex((segment) => /[*?[\]]/.test(segment));
  return (at === -1 ? segments : segments.slice(0, at)).join('/').replace(/\/+$/, '');
}

function resolve(dir: string | undefined, path: string): string {
  if (dir === undefined || dir === '' || dir === '.') return path;
  const base = clean(dir);
  return base === '' ? path : `${base}/${path}`;
}
