import { rmSync } from 'node:fs';
import { EXPERIMENT_CHAPTER } from './experiment-chapter.js';
import { FLEET_CHAPTER } from './fleet-chapter.js';
import { fakeAccessKeyId, type CommandOutcome, DemoSandbox } from './sandbox.js';

export interface DemoEvent {
  kind: 'chapter' | 'say' | 'command' | 'expect';
  text: string;
  outcome?: CommandOutcome;
  /** for `expect`: did the world behave as narrated? */
  ok?: boolean;
}

export interface DemoResult {
  root: string;
  kept: boolean;
  /** every expectation held */
  ok: boolean;
  events: DemoEvent[];
}

type Emit = (event: DemoEvent) => void;

/** One chapter of the demo; later chapters (sync-down, sync-up) append themselves here. */
export interface Chapter {
  title: string;
  run: (sandbox: DemoSandbox, act: Actions) => void;
}

export interface Actions {
  say(text: string): void;
  command(outcome: CommandOutcome): CommandOutcome;
  expect(description: string, holds: boolean): void;
}

export const CHAPTERS: Chapter[] = [
  {
    title: 'A public upstream and a private mirror',
    run(s, act) {
      act.say('Two bare repositories stand in for the forge: upstream.git (public) and mirror.git (one customer\'s private mirror).');
      s.git(['init', '-q', '--bare', s.upstream], s.root);
      s.git(['init', '-q', '--bare', s.mirror], s.root);
      s.git(['init', '-q', s.work], s.root);
      s.write('README.md', '# widget\n\nThe public project.\n');
      s.write('src/app.js', 'export const greet = (name) => `hello ${name}`;\n');
      s.git(['add', '.']);
      s.git(['commit', '-q', '-m', 'Initial public code']);
      s.git(['remote', 'add', 'upstream', s.upstream]);
      s.git(['remote', 'add', 'origin', s.mirror]);
      s.git(['push', '-q', 'upstream', 'main']);
      s.git(['push', '-q', 'origin', 'main']);
      act.say('The working clone has origin = the private mirror and upstream = the public project.');
      act.command(s.git(['remote', '-v']));
    },
  },
  {
    title: 'Declare the mirror private and install the hook',
    run(s, act) {
      s.write('.mirror/policy.yml', '# origin is this customer\'s private mirror; every other remote is public\nremotes:\n  private: [origin]\n');
      act.say('.mirror/policy.yml says origin is private. Any remote not listed (upstream here) is treated as public.');
      act.command(s.mirrorCli(['hook', 'install']));
      act.command(s.mirrorCli(['policy', 'check']));
    },
  },
  {
    title: 'Customer material goes to the private mirror',
    run(s, act) {
      s.write('private/customer-contract.md', '# ACME contract\n\nRates and contacts: customer-only.\n');
      s.write('config/settings.local.json', '{ "endpoint": "https://widget.acme.internal" }\n');
      s.write('src/feature.js', 'export const feature = () => 42;\n');
      s.git(['add', '.']);
      s.git(['commit', '-q', '-m', 'Customer setup and a feature']);
      const push = act.command(s.git(['push', 'origin', 'main']));
      act.expect('the push to the private mirror is allowed (private paths may go there)', push.code === 0);
    },
  },
  {
    title: 'A secret is refused everywhere, even toward the private mirror',
    run(s, act) {
      s.write('src/aws.js', `export const accessKeyId = "${fakeAccessKeyId()}";\n`);
      s.git(['add', '.']);
      s.git(['commit', '-q', '-m', 'Wire up storage']);
      const push = act.command(s.git(['push', 'origin', 'main']));
      act.expect('the push is refused, and the key is shown only masked', push.code !== 0 && !/AKIA[A-Z2-7]{16}/.test(push.output));
      act.say('Take the key out of the commit (it would live in a secret store) and push again.');
      s.write('src/aws.js', 'export const accessKeyId = process.env.AWS_ACCESS_KEY_ID;\n');
      s.git(['add', '.']);
      s.git(['commit', '-q', '--amend', '--no-edit']);
      const again = act.command(s.git(['push', 'origin', 'main']));
      act.expect('the fixed push is allowed', again.code === 0);
    },
  },
  {
    title: 'Private paths never reach the public upstream',
    run(s, act) {
      const leak = act.command(s.git(['push', 'upstream', 'main']));
      act.expect('pushing the mirror\'s main to upstream is refused: it carries private/ and *.local.* files', leak.code !== 0);
      act.say('Public work goes up on a branch made from upstream/main that holds only public changes.');
      s.git(['fetch', '-q', 'upstream']);
      s.git(['switch', '-q', '-c', 'public-fix', 'upstream/main']);
      s.write('src/app.js', 'export const greet = (name) => `hello, ${name}!`;\n');
      s.git(['add', '.']);
      s.git(['commit', '-q', '-m', 'Friendlier greeting']);
      const clean = act.command(s.git(['push', 'upstream', 'public-fix']));
      act.expect('the clean branch is allowed to the public upstream', clean.code === 0);
      s.git(['switch', '-q', 'main']);
    },
  },
  {
    title: 'Upstream moves on: sync-down brings it into the mirror',
    run(s, act) {
      const maintainer = `${s.root}/maintainer`;
      s.git(['clone', '-q', s.upstream, maintainer], s.root);
      s.write('src/app.js', 'export const greet = (name) => `hello ${name}`;\nexport const version = 2;\n', maintainer);
      s.git(['commit', '-q', '-am', 'Release 2'], maintainer);
      s.git(['push', '-q', 'origin', 'main'], maintainer);
      act.say('A maintainer pushed "Release 2" to the public upstream. The mirror merges it and pushes to the private mirror:');
      const down = act.command(s.mirrorCli(['sync-down']));
      act.expect('sync-down merged upstream/main into main and pushed it to the mirror', down.code === 0 && /brought 1 commit/.test(down.output));
    },
  },
  {
    title: 'Public work goes up: sync-up leaves the private parts behind',
    run(s, act) {
      s.write('src/feature.js', 'export const feature = () => 43;\n');
      s.write('private/customer-contract.md', '# ACME contract\n\nRates and contacts: customer-only. Renewed.\n');
      s.git(['add', '.']);
      s.git(['commit', '-q', '-m', 'Improve the feature\n\nCustomer-Ticket: ACME-7']);
      s.write('README.md', '# widget\n\nThe public project. Now documented.\n');
      s.git(['commit', '-q', '-am', 'Document the project']);
      s.write('private/notes.md', 'call ACME on Monday\n');
      s.git(['add', '.']);
      s.git(['commit', '-q', '-m', 'Customer notes']);
      act.say('Three new mirror commits: one mixed (public code + the customer contract), one public, one private. The plan:');
      act.command(s.mirrorCli(['sync-up', '--dry-run']));
      act.say('Build the branch off upstream/main (in a temporary worktree; this checkout is not touched), guard it, push it:');
      const up = act.command(s.mirrorCli(['sync-up', '--no-pr']));
      const files = s.git(['ls-tree', '-r', '--name-only', 'refs/heads/mirror/sync-up']).output.split('\n');
      act.expect('the branch reached upstream with the public changes only', up.code === 0 && files.includes('src/feature.js') && !files.some((f) => f.startsWith('private/') || f.includes('.local.')));
      act.command(s.git(['log', '--format=%h %s', 'upstream/main..mirror/sync-up']));
      act.say('With a forge token, sync-up also opens (or updates) the pull request and prints its URL.');
      const again = act.command(s.mirrorCli(['sync-up', '--no-pr']));
      act.expect('running it again with nothing new is a successful no-op', again.code === 0 && /nothing new/.test(again.output));
      act.command(s.mirrorCli(['status']));
    },
  },
];
CHAPTERS.push(EXPERIMENT_CHAPTER, FLEET_CHAPTER);

export function runDemo(options: { keep: boolean; emit: Emit; chapters?: Chapter[] }): DemoResult {
  const sandbox = new DemoSandbox();
  const events: DemoEvent[] = [];
  const emit = (event: DemoEvent) => {
    events.push(event);
    options.emit(event);
  };
  let ok = true;
  const act: Actions = {
    say: (text) => emit({ kind: 'say', text }),
    command: (outcome) => {
      emit({ kind: 'command', text: `$ ${outcome.command}`, outcome });
      return outcome;
    },
    expect: (text, holds) => {
      ok &&= holds;
      emit({ kind: 'expect', text, ok: holds });
    },
  };
  try {
    emit({ kind: 'say', text: `sandbox: ${sandbox.root}` });
    for (const chapter of options.chapters ?? CHAPTERS) {
      emit({ kind: 'chapter', text: chapter.title });
      chapter.run(sandbox, act);
    }
  } finally {
    if (!options.keep) rmSync(sandbox.root, { recursive: true, force: true });
  }
  return { root: sandbox.root, kept: options.keep, ok, events };
}
