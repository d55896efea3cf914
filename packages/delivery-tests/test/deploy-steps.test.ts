import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath, tempDir, waitFor } from '@toasties/testkit';
import { fullLog, processesRunning, said, short, untilSaid, useDeployHost, type Serving } from './support/deploy-host';

// A deploy is all or nothing: each step of scripts/deploy.sh (build, backup, migrate, switch,
// reload, confirm) is made to fail, or is interrupted, on real processes; the deploy stops
// there, naming the step, nothing after it runs, and what serves afterwards is what served
// before. chillybin is the service deployed: it is the one with a backup and a migration.

let good: string; // the release that serves between the cases

// One worker: the cases are about the steps, not the reload; timeouts for a busy machine.
const host = useDeployHost({ workers: 1, readyTimeoutMs: 30_000, confirmTimeoutS: 60 });

/** What must be as it was: the release `current` names, the history, what serves, no build left behind. */
const unchanged = async () => ({ ...(await host().state('chillybin')), building: [] });

test('the first deploy of chillybin serves its release', async () => {
  const { code, output } = await host().run('deploy.sh', ['chillybin']);
  good = host().lastCommit('chillybin');
  expect({ code, said: said(output) }).toEqual({
    code: 0,
    // One line a step, the confirmation, where the full log is (no backup: there was no database yet).
    said: [
      `chillybin: build ${short(good)} (offline, from the npm cache)`,
      'chillybin: check: no deployed service to check against',
      "chillybin: migrate (the new release's migrations)",
      `chillybin: switch to ${short(good)}`,
      expect.stringMatching(/^chillybin: started primary \d+$/),
      `chillybin: confirmed ${short(good)} on 1 of 1 workers`,
      expect.stringMatching(/^full log: .*\/logs\/\d{8}T\d{6}Z-deploy-\d+\.log$/),
    ],
  });
  // The steps' own output is in the full log, not on the terminal.
  expect(fullLog(output)).toMatch(/up\s+0001/);
}, 180_000);

// Each case: how the step is made to fail, what the deploy must say, and what must not have
// run after it. Up to the switch, not even a signal: the same worker serves. (A confirm that
// fails, a release whose workers never become ready, is deploy.test.ts's broken release, under
// load: it waits out the whole confirm window, once.)
const failures = [
  { step: 'build', broken: 'build', notAfter: ['backup', 'migrate', 'switch', 'reload'] },
  { step: 'backup', broken: 'backup', notAfter: ['migrate', 'switch', 'reload'] },
  { step: 'migrate', broken: 'migrate', notAfter: ['switch', 'reload'] },
  { step: 'switch', broken: 'a stale current.next directory', notAfter: ['reload'] },
] as const;

describe.each(failures)('when the $step step fails', ({ step, broken, notAfter }) => {
  test('the deploy exits 1 naming it, runs nothing after it, and the same worker serves', async () => {
    const before = await unchanged();
    expect(before.serving).not.toBe('nothing');
    const backupsBefore = backups();
    let tag: string;
    const next = join(host().deployRoot, 'chillybin', 'current.next');
    if (step === 'switch') {
      mkdirSync(join(next, 'in-the-way'), { recursive: true });
      tag = host().commitFile('chillybin', 'CHANGE', 'a release that cannot be switched to');
    } else {
      tag = host().commitFile('chillybin', 'BROKEN', broken);
    }
    try {
      const { code, output } = await host().run('deploy.sh', ['chillybin']);
      expect(code).toBe(1);
      const lines = said(output);
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^chillybin: the ${step} step failed \\(exit \\d+\\)`)));
      for (const later of notAfter) expect(lines).not.toContainEqual(expect.stringMatching(new RegExp(`^chillybin: ${later}\\b`)));
      expect(lines.at(-1)).toMatch(/^deploy stopped at chillybin; full log: \S+$/);
      expect(await unchanged()).toEqual(before); // no signal, no switch: the very same worker
      // No migration without its backup: a failed backup leaves no new backup and no migration.
      if (step === 'build' || step === 'backup') expect(backups()).toEqual(backupsBefore);
      if (step === 'backup') expect(fullLog(output)).not.toMatch(/migrat/i);
      // A release only ever complete in releases/: none for a failed build.
      if (step === 'build') expect(existsSync(join(host().deployRoot, 'chillybin', 'releases', tag))).toBe(false);
    } finally {
      rmSync(next, { recursive: true, force: true });
      if (existsSync(join(host().repo.dir, 'services', 'chillybin', 'BROKEN'))) host().removeFile('chillybin', 'BROKEN');
    }
  }, 240_000);
});

// A step's command runs only in its release: were that release's service directory gone, the
// backup would otherwise run `node dist/backup-cli.js` wherever the deploy was started.
test('a release in releases/ without its service directory: the backup step fails, and no command runs anywhere else', async () => {
  const before = await unchanged();
  const backupsBefore = backups();
  const tag = host().commitFile('chillybin', 'CHANGE', 'a release left without its service directory');
  const release = join(host().deployRoot, 'chillybin', 'releases', tag);
  mkdirSync(join(release, 'services'), { recursive: true });
  try {
    const { code, output } = await host().run('deploy.sh', ['chillybin']);
    const lines = said(output);
    expect({ code, lines }).toEqual({
      code: 1,
      lines: expect.arrayContaining([`chillybin: release ${short(tag)} already built`, expect.stringMatching(/^chillybin: the backup step failed \(exit 1\); stopped there: nothing was switched/)]) as unknown,
    });
    for (const later of ['migrate', 'switch', 'reload']) expect(lines).not.toContainEqual(expect.stringMatching(new RegExp(`^chillybin: ${later}\\b`)));
    expect(fullLog(output)).toMatch(/services\/chillybin: No such file or directory/);
    expect(fullLog(output)).not.toMatch(/Cannot find module/); // node was never started
    expect(backups()).toEqual(backupsBefore);
    expect(await unchanged()).toEqual(before);
  } finally {
    rmSync(release, { recursive: true, force: true });
  }
}, 240_000);

test('when the reload step fails (a primary that exits at once, on a stopped service), current is switched back and nothing serves, as before', async () => {
  expect(await host().run('deploy.sh', ['--stop', 'chillybin'])).toMatchObject({ code: 0 });
  const before = await unchanged();
  expect(before.serving).toBe('nothing');
  host().commitFile('chillybin', 'BROKEN', 'start');
  const { code, output } = await host().run('deploy.sh', ['chillybin']);
  expect(code).toBe(1);
  expect(said(output)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^chillybin: the primary did not start/), expect.stringMatching(/^chillybin: the reload step failed/), 'chillybin: rolled back: nothing serves, as before']),
  );
  expect(said(output)).not.toContainEqual(expect.stringMatching(/confirmed/));
  expect(await unchanged()).toEqual(before);
}, 240_000);

const onLinux = process.platform === 'linux' ? test : test.skip; // reads /proc

onLinux('SIGTERM to the deploy while it starts a primary (a stopped service, a release that never writes its pid file): exit 143, that primary stopped, nothing serves, as before', async () => {
  const before = await unchanged();
  expect(before.serving).toBe('nothing');
  host().commitFile('chillybin', 'BROKEN', 'ready'); // its primary starts and never writes its pid file
  const deploy = host().start('deploy.sh', ['chillybin']);
  const entry = join(host().deployRoot, 'chillybin', 'current', 'services', 'chillybin', 'dist', 'main.js');
  await untilSaid(deploy, /^chillybin: switch to/m);
  await waitFor(() => processesRunning(entry).length > 0, { timeoutMs: 60_000, what: `the primary to be started; output so far:\n${deploy.output()}` });
  deploy.signal('SIGTERM', 'script');
  const { code, output } = await deploy.exited;
  expect({ code, lines: said(output) }).toEqual({
    code: 143,
    lines: expect.arrayContaining(['chillybin: the reload step was interrupted; rolling back', 'chillybin: rolled back: stopped the primary this deploy started; nothing serves, as before', expect.stringMatching(/^interrupted; full log: \S+$/)]) as unknown,
  });
  await waitFor(() => processesRunning(entry).length === 0, { timeoutMs: 20_000, what: 'the primary the deploy started to be gone' });
  expect(await unchanged()).toEqual(before);
}, 240_000);

function backups(): string[] {
  const dir = join(host().deployRoot, 'chillybin', 'backups');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

function versions(serving: Serving) {
  return serving === 'nothing' ? serving : serving.map((worker) => worker.version);
}

describe('with chillybin serving again', () => {
  beforeAll(async () => {
    // Serving again, on a mended release (BROKEN: the cases above).
    host().removeFile('chillybin', 'BROKEN');
    const { code, output } = await host().run('deploy.sh', ['chillybin']);
    expect({ code, output }).toMatchObject({ code: 0 });
    good = host().lastCommit('chillybin');
  }, 240_000);

  test('two deploys started together: one deploys, the other (and a rollback) refuses at once naming it and the release it deploys (or waits, when told to); the release is complete; one primary', async () => {
    const primary = readFileSync(join(host().deployRoot, 'chillybin', 'primary.pid'), 'utf8');
    rmSync(host().held, { force: true });
    rmSync(`${host().held}.go`, { force: true });
    const tag = host().commitFile('chillybin', 'HOLD', 'migrate');
    try {
      const first = host().start('deploy.sh', ['chillybin']);
      await waitForFile(host().held); // the first holds the lock, in its migrate step
      const second = await host().run('deploy.sh', ['chillybin']);
      expect({ code: second.code, said: said(second.output) }).toEqual({
        code: 75,
        said: [expect.stringMatching(new RegExp(`^another deploy is under way in ${host().deployRoot}: pid ${first.pid} \\(deploy.sh, rolling chillybin\\), now chillybin ${short(tag)}, since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ; nothing was done$`))],
      });
      // A rollback takes the same lock, and refuses the same way.
      const rollback = await host().run('rollback.sh', ['chillybin']);
      expect({ code: rollback.code, said: said(rollback.output) }).toEqual({ code: 75, said: [expect.stringMatching(/^another deploy is under way in .*, now chillybin [0-9a-f]{12}, since .*; nothing was done$/)] });
      const third = host().start('deploy.sh', ['chillybin'], { DEPLOY_LOCK_WAIT_S: '240' });
      writeFileSync(`${host().held}.go`, ''); // the first may finish now
      const [one, three] = await Promise.all([first.exited, third.exited]);
      expect({ code: one.code, confirmed: said(one.output).filter((line) => line.includes('confirmed')) }).toEqual({ code: 0, confirmed: [`chillybin: confirmed ${short(tag)} on 1 of 1 workers`] });
      // The third waited for the lock, then found the release serving.
      expect({ code: three.code, said: said(three.output) }).toEqual({ code: 0, said: [`chillybin: already running ${short(tag)}; skipped`] });
      const release = join(host().deployRoot, 'chillybin', 'releases', tag, 'services', 'chillybin');
      expect(readFileSync(join(release, 'VERSION'), 'utf8')).toBe(`${tag}\n`);
      expect(existsSync(join(release, 'dist', 'main.js'))).toBe(true);
      expect(readdirSync(join(host().deployRoot, 'chillybin')).filter((name) => name.startsWith('.'))).toEqual([]);
      // One primary, the one from before, reloaded.
      expect(readFileSync(join(host().deployRoot, 'chillybin', 'primary.pid'), 'utf8')).toBe(primary);
      expect(versions(await host().serving('chillybin'))).toEqual([tag]);
      good = tag;
    } finally {
      host().removeFile('chillybin', 'HOLD');
    }
  }, 300_000);

  // held: the step a release's HOLD file stops at (fast-build.sh); confirm: a release whose
  // worker never becomes ready, interrupted while the deploy waits for it.
  const interrupts = [
    { step: 'build', signal: 'SIGINT', to: 'group', code: 130, said: 'the build step was interrupted; stopped there: nothing was switched' },
    { step: 'backup', signal: 'SIGTERM', to: 'script', code: 143, said: 'the backup step was interrupted; stopped there: nothing was switched' },
    { step: 'migrate', signal: 'SIGINT', to: 'group', code: 130, said: 'the migrate step was interrupted; stopped there: nothing was switched' },
    // After the SIGHUP: the signal lands in the reload step or the confirm step, as it comes.
    { step: 'confirm', signal: 'SIGTERM', to: 'script', code: 143, said: 'the (reload|confirm) step was interrupted; rolling back' },
  ] as const;

  test.each(interrupts)('$signal to the deploy ($to) during $step: exit $code, and the release before serves', async ({ step, signal, to, code, said: says }) => {
    const before = await unchanged();
    rmSync(host().held, { force: true });
    rmSync(`${host().held}.go`, { force: true });
    if (step === 'confirm') {
      host().commitFile('chillybin', 'HOLD', 'nothing');
      host().commitFile('chillybin', 'BROKEN', 'ready');
    } else {
      host().commitFile('chillybin', 'HOLD', step);
    }
    try {
      const deploy = host().start('deploy.sh', ['chillybin']);
      if (step === 'confirm') await untilSaid(deploy, /^chillybin: reload: SIGHUP/m);
      else await untilSaid(deploy, new RegExp(`^chillybin: ${step}\\b`, 'm'));
      if (step !== 'confirm') await waitForFile(host().held);
      deploy.signal(signal, to);
      if (step === 'migrate') {
        // A migration is let finish; then the deploy stops before the switch.
        await untilSaid(deploy, /letting the migration finish/);
        writeFileSync(`${host().held}.go`, '');
      }
      const { code: exit, output } = await deploy.exited;
      const lines = said(output);
      expect({ exit, lines }).toEqual({ exit: code, lines: expect.arrayContaining([expect.stringMatching(new RegExp(`^chillybin: ${says}`)), expect.stringMatching(/^interrupted; full log: \S+$/)]) });
      if (step === 'confirm') expect(lines).toContainEqual(`chillybin: rolled back: ${short(good)} serves on every worker`);
      expect(lines).not.toContainEqual(expect.stringMatching(new RegExp(`^chillybin: confirmed ${short(host().lastCommit('chillybin'))}`)));
      const now = await unchanged();
      if (step === 'confirm') expect({ ...now, serving: versions(now.serving) }).toEqual({ ...before, serving: versions(before.serving) });
      else expect(now).toEqual(before);
    } finally {
      if (existsSync(join(host().repo.dir, 'services', 'chillybin', 'BROKEN'))) host().removeFile('chillybin', 'BROKEN');
      host().removeFile('chillybin', 'HOLD');
    }
  }, 240_000);

  // The switch is one rename (switch_to in lib/release.sh). A stand-in for mv holds it
  // (fixtures/mv-held-at-switch.sh) and names the script that switches; the signal goes to
  // that script while the rename is held, and only then is the rename let go: the signal is
  // pending before the switch ends, whatever the scheduler does, and the trap meets a
  // `current` that already names the new release. The deploy's is deploy-one.sh (deploy.sh
  // passes a Ctrl-C on to it: the cases above), so deploy.sh sees a service that failed.
  const atTheSwitch = [
    { script: 'deploy.sh', args: ['chillybin'], exit: 1, said: ['chillybin: the switch step was interrupted; rolling back'], last: /^deploy stopped at chillybin; full log: \S+$/ },
    { script: 'rollback.sh', args: ['chillybin'], exit: 143, said: ['chillybin: the switch step of the rollback was interrupted; putting back <good>'], last: /^chillybin: rolled back: current is [0-9a-f]{12} again; its workers were never signalled$/ },
  ] as const;

  test.each(atTheSwitch)('SIGTERM, during the switch of $script, to the script that switches: exit $exit; current names the release before again, and the same worker serves', async ({ script, args, exit, said: says, last }) => {
    const before = await unchanged();
    rmSync(host().held, { force: true });
    rmSync(`${host().held}.go`, { force: true });
    if (script === 'deploy.sh') host().commitFile('chillybin', 'CHANGE', 'a release whose switch is interrupted');
    const deploy = host().start(script, args, switchHeld());
    await waitFor(() => existsSync(host().held) && /^switch \d+\n$/.test(readFileSync(host().held, 'utf8')), { timeoutMs: 120_000, what: `the switch to be held; output so far:\n${deploy.output()}` });
    process.kill(Number(readFileSync(host().held, 'utf8').split(' ')[1]), 'SIGTERM');
    writeFileSync(`${host().held}.go`, '');
    const { code, output } = await deploy.exited;
    const lines = said(output);
    expect({ code, lines }).toEqual({
      code: exit,
      lines: expect.arrayContaining([...says.map((line) => line.replace('<good>', short(before.current!))), `chillybin: rolled back: current is ${short(before.current!)} again; its workers were never signalled`]),
    });
    expect(lines.at(-1)).toMatch(last);
    expect(await unchanged()).toEqual(before); // switched back, never signalled: the very same worker
  }, 240_000);

  test('SIGINT to a rollback (its group, as Ctrl-C) while it waits for a release that never becomes ready: exit 130, and the release before serves again', async () => {
    const before = await unchanged();
    // A release built before whose worker starts and never becomes ready (as fast-build's
    // BROKEN=ready makes one): a copy of the serving release, its entry point replaced.
    const releases = join(host().deployRoot, 'chillybin', 'releases');
    const neverReady = 'feedbeef'.padEnd(40, '0');
    cpSync(join(releases, before.current!), join(releases, neverReady), { recursive: true, verbatimSymlinks: true });
    writeFileSync(join(releases, neverReady, 'services', 'chillybin', 'dist', 'main.js'), 'setInterval(() => undefined, 1000);\n');
    try {
      const rollback = host().start('rollback.sh', ['chillybin', 'feedbeef']);
      await untilSaid(rollback, /^chillybin: reload: SIGHUP/m);
      rollback.signal('SIGINT', 'group');
      const { code, output } = await rollback.exited;
      const lines = said(output);
      expect({ code, lines }).toEqual({
        code: 130,
        lines: expect.arrayContaining([expect.stringMatching(new RegExp(`^chillybin: the (reload|confirm) step of the rollback was interrupted; putting back ${short(before.current!)}$`)), `chillybin: rolled back: ${short(before.current!)} serves on every worker`]),
      });
      const after = await unchanged();
      expect({ ...after, serving: versions(after.serving) }).toEqual({ ...before, serving: versions(before.serving) });
    } finally {
      rmSync(join(releases, neverReady), { recursive: true, force: true });
    }
  }, 240_000);
});

/** Environment for a deploy or rollback whose switch is held (fixtures/mv-held-at-switch.sh). */
function switchHeld(): NodeJS.ProcessEnv {
  const bin = tempDir('mv-held-at-switch');
  symlinkSync(join(__dirname, 'fixtures', 'mv-held-at-switch.sh'), join(bin, 'mv'));
  return { PATH: `${bin}:${process.env.PATH ?? ''}`, REAL_MV: findOnPath('mv') ?? '/bin/mv' };
}

async function waitForFile(path: string) {
  await waitFor(() => existsSync(path), { timeoutMs: 60_000, what: path });
}
