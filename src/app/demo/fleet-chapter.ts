import { join } from 'node:path';
import type { Chapter } from './steps.js';

/**
 * A fleet of three mirrors of the demo's upstream, seen at once from a control
 * folder: one up to date, one behind, one whose private change conflicts with
 * upstream's latest. Local bare repositories only: no forge, no network.
 */
export const FLEET_CHAPTER: Chapter = {
  title: 'A fleet: three customers\' mirrors at a glance',
  run(s, act) {
    const fleet = (name: string) => join(s.root, 'fleet', `${name}.git`);
    const maintainer = join(s.root, 'fleet', 'maintainer');
    s.git(['clone', '-q', s.upstream, maintainer], s.root);
    // hooli's mirror, as of upstream's current main, with a customer change to the version line
    s.git(['init', '-q', '--bare', fleet('hooli')], s.root);
    s.write('src/app.js', 'export const greet = (name) => `hello ${name}`;\nexport const version = "2-hooli";\n', maintainer);
    s.git(['commit', '-q', '-am', 'hooli: pin our own version'], maintainer);
    s.git(['push', '-q', fleet('hooli'), 'HEAD:refs/heads/main'], maintainer);
    s.git(['reset', '-q', '--hard', 'HEAD~1'], maintainer);
    // initech's mirror stays where upstream is now
    s.git(['init', '-q', '--bare', fleet('initech')], s.root);
    s.git(['push', '-q', fleet('initech'), 'HEAD:refs/heads/main'], maintainer);
    // upstream moves on, and globex's mirror has already synced
    s.write('src/app.js', 'export const greet = (name) => `hello ${name}`;\nexport const version = 3;\n', maintainer);
    s.git(['commit', '-q', '-am', 'Release 3'], maintainer);
    s.git(['push', '-q', 'origin', 'main'], maintainer);
    s.git(['init', '-q', '--bare', fleet('globex')], s.root);
    s.git(['push', '-q', fleet('globex'), 'HEAD:refs/heads/main'], maintainer);

    const control = join(s.root, 'fleet', 'control');
    s.git(['init', '-q', control], s.root);
    const mirrors = ['globex', 'initech', 'hooli'].map((name) => `  - { name: ${name}, url: ${fleet(name)}, forge: github }`);
    s.write('.mirror/fleet.yml', ['version: 1', `upstream: { url: ${s.upstream}, branch: main }`, 'mirrors:', ...mirrors, ''].join('\n'), control);
    act.say('Upstream released "Release 3". A control folder (no origin, so nothing here can be pushed public) lists three customers\' mirrors in .mirror/fleet.yml:');
    act.command(s.mirrorCli(['fleet', 'check'], control));
    act.say('One shared cache fetches them all (each under refs/fleet/<name>/) and judges each; without a forge token the forge columns are skipped:');
    const status = act.command(s.mirrorCli(['fleet', 'status'], control));
    const line = (name: string) => status.output.split('\n').find((text) => new RegExp(`^\\S\\s+${name}\\s`).test(text)) ?? '';
    act.expect('globex is up to date', /^✓/.test(line('globex')));
    act.expect('initech is 1 commit behind upstream and merges cleanly', /^✗\s+initech\s+0\s+1\s/.test(line('initech')) && !/initech: merging upstream would conflict/.test(status.output));
    act.expect('hooli would conflict in src/app.js on its next sync-down', /✗ hooli: merging upstream would conflict in src\/app\.js/.test(status.output));
    act.expect('the fleet needs attention: exit 1', status.code === 1);
    act.say('`mirror init --fleet` writes the control repository\'s workflows: this status on a schedule, its table in the job summary, and a fleet sync-down by hand.');
  },
};
