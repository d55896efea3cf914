import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stripVTControlCharacters } from 'node:util';
import { descendantsOf, freePort, freshDatabasePath, isAlive, spawnProcess, stopAllProcesses, waitFor } from '@toasties/testkit';

// `npm start` is the first thing a newcomer runs: it must show the services, not the
// build; say when each is ready and what to try; and end, on Ctrl-C, with a line that says
// both stopped cleanly, leaving no process behind. Run for real: npm, the build, both services.
const root = join(__dirname, '..', '..', '..');

let started: number[] = [];
afterAll(async () => {
  for (const pid of started) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  await stopAllProcesses();
});

describe('npm start', () => {
  test('builds quietly, says which database chillybin is on, one ready banner per service with a curl to try, and Ctrl-C ends with "stopped cleanly"', async () => {
    const [jafflrPort, chillybinPort] = [await freePort(), await freePort()];
    // setsid: npm leads a process group of its own, as in a terminal, where Ctrl-C signals the whole group.
    const run = spawnProcess('setsid', ['npm', '--prefix', root, 'start'], {
      JAFFLR_PORT: String(jafflrPort),
      CHILLYBIN_PORT: String(chillybinPort),
      DATABASE_PATH: freshDatabasePath('npm-start'),
      COOK_TIME_SCALE: '0',
      LOG_FORMAT: undefined, // as on a newcomer's machine: npm start chooses (pretty)
      PORT: undefined,
    });
    await run.waitForLine(/chillybin is ready on http:\/\/localhost:\d+/, 150_000);
    await run.waitForLine(/jafflr is ready on http:\/\/localhost:\d+/, 60_000);
    const processes = [run.pid, ...descendantsOf(run.pid)];
    started = processes;
    expect(processes.length).toBeGreaterThanOrEqual(5); // npm, start.mjs, two primaries, their workers

    const { stdout } = await promisify(execFile)('bash', ['-c', `curl -s -X POST 'http://localhost:${jafflrPort}/toastie?i=cheese&doneness=light'`]);
    expect(stdout).toMatch(/^\{"toastie":\{"ingredients":\["cheese"\].*\}\n$/); // the prompt starts on its own line
    await run.waitForLine(/jafflr POST \/toastie 200 \d+ ms [0-9a-f]{8}$/, 30_000);

    process.kill(-run.pid, 'SIGINT'); // Ctrl-C: the terminal signals npm's whole process group
    const exit = await run.waitForExit(60_000);
    const output = stripVTControlCharacters(run.output());
    const lines = output.split('\n');

    expect({ exit, tail: output.slice(-800) }).toMatchObject({ exit: { code: 0, signal: null } });
    expect(lines.filter((line) => / is ready on /.test(line))).toEqual([`── chillybin is ready on http://localhost:${chillybinPort}`, `── jafflr is ready on http://localhost:${jafflrPort}`]);
    expect(output).toContain(`try: curl -s -X POST 'http://localhost:${jafflrPort}/toastie?i=cheese&doneness=light'`);
    expect(output).toMatch(/npm start: building chillybin and jafflr… done in [\d.]+ s/);
    expect(output).not.toMatch(/Tasks:|cache hit|> tsc|npm error/);
    expect(lines.at(-1) || lines.at(-2)).toBe('npm start: jafflr and chillybin stopped cleanly (exit 0)');
    expect(lines.filter((line) => line.length > 100)).toEqual([]);
    // Which database chillybin is on; one line per migration; no value cut short (0.0… for 0.066).
    expect(output).toMatch(/INFO: chillybin database: SQLite \/\S+\.db$/m);
    expect(output).not.toMatch(/migration migrating/);
    expect(lines.filter((line) => /[\d.]…/.test(line))).toEqual([]);
    await waitFor(() => processes.every((pid) => !isAlive(pid)), { timeoutMs: 15_000, what: 'every process npm start ran to be gone' });
  }, 240_000);

  test('a service does not outlive npm start, even one killed with SIGKILL', async () => {
    const chillybinPort = await freePort();
    const run = spawnProcess('npm', ['--prefix', root, 'start'], { JAFFLR_PORT: String(await freePort()), CHILLYBIN_PORT: String(chillybinPort), DATABASE_PATH: freshDatabasePath('npm-start') });
    await run.waitForLine(/jafflr is ready on/, 150_000);
    const processes = [run.pid, ...descendantsOf(run.pid)];
    started = processes;

    process.kill(processes[1]!, 'SIGKILL'); // start.mjs (npm's one child: `exec`), with no chance to stop anything
    run.child.kill('SIGKILL');

    await waitFor(() => processes.every((pid) => !isAlive(pid)), { timeoutMs: 60_000, what: 'every process npm start ran to be gone' });
  }, 240_000);

  test('PORT is refused with a pointer to JAFFLR_PORT and CHILLYBIN_PORT: both services cannot share one port', async () => {
    const run = spawnProcess(process.execPath, [join(root, 'scripts', 'start.mjs')], { PORT: '8000' });
    expect(await run.waitForExit(30_000)).toEqual({ code: 1, signal: null });
    expect(run.output()).toMatch(/PORT is for one service; set CHILLYBIN_PORT \(7001\), JAFFLR_PORT \(7000\) instead/);
  });
});
