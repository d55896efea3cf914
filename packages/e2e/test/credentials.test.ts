import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, freshDatabasePath, spawnProcess, startService, stopAllProcesses, type RunningService } from '@toasties/testkit';
import { chillybinMain, jafflrMain } from './services';

// A URL's user and password never reach a client or a log line, on real
// processes: every answer and every line of output is searched for the secret.
const SECRET = 's3cret-in-a-url';
let unleash: Server;
let unleashUrl: string;

beforeAll(async () => {
  // An Unleash that serves its flags but refuses to register the client (500): the client
  // then logs a warning quoting the URL it was given.
  unleash = createServer((req, res) => {
    if (req.url?.startsWith('/api/client/features')) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"version":2,"features":[]}');
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => unleash.listen(0, '127.0.0.1', resolve));
  unleashUrl = `http://flags:${SECRET}@127.0.0.1:${(unleash.address() as AddressInfo).port}/api`;
});
afterAll(async () => {
  await stopAllProcesses();
  unleash.closeAllConnections();
  await new Promise((resolve) => unleash.close(resolve));
});

/** Every header and body of an answer, as text. */
async function answerText(url: string, init?: RequestInit): Promise<string> {
  const res = await fetch(url, init);
  return `${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`;
}

describe('a URL with a user and password', () => {
  test('CHILLYBIN_URL with credentials: jafflr refuses to start, with one config line that does not show them', async () => {
    const proc = spawnProcess(process.execPath, [jafflrMain], { PORT: '0', CHILLYBIN_URL: `http://admin:${SECRET}@127.0.0.1:7001` });
    expect(await proc.waitForExit()).toEqual({ code: 1, signal: null });
    expect(proc.output().trim().split('\n')).toEqual([expect.stringMatching(/^config error: CHILLYBIN_URL: must not carry a user or password .*\(got "http:\/\/\*\*\*@127\.0\.0\.1:7001"\)$/)]);
    expect(proc.output()).not.toContain(SECRET);
  });

  test('UNLEASH_URL with credentials, Unleash answering or unreachable: no answer and no log line shows them', async () => {
    const chillybin: RunningService = await startService(chillybinMain, { DATABASE_PATH: freshDatabasePath('credentials'), WORKERS: '2', UNLEASH_URL: unleashUrl });
    const unreachable = `http://flags:${SECRET}@127.0.0.1:${await freePort()}/api`;
    const jafflr: RunningService = await startService(jafflrMain, { CHILLYBIN_URL: chillybin.url, COOK_TIME_SCALE: '0', UNLEASH_URL: unreachable });

    // The lines that would have carried the URL: they are there, with *** in its place.
    await chillybin.waitForLine(/flags synchronized with unleash/);
    await chillybin.waitForLine(/unleash: .*returning 500/);
    await jafflr.waitForLine(/unleash error/);
    const answers = [
      await answerText(`${jafflr.url}/toastie?i=cheese`, { method: 'POST' }),
      await answerText(`${chillybin.url}/pick?name=nothing&quantity=1`, { method: 'POST' }),
    ];
    for (const path of ['/', '/health', '/health/ready', '/metrics']) {
      answers.push(await answerText(`${jafflr.url}${path}`), await answerText(`${chillybin.url}${path}`));
    }

    const output = `${chillybin.output()}\n${jafflr.output()}`;
    expect(output.split('\n').filter((line) => line.includes(SECRET))).toEqual([]);
    expect(answers.filter((answer) => answer.includes(SECRET))).toEqual([]);
    expect(output).toMatch(/http:\/\/\*\*\*@127\.0\.0\.1:\d+\/api/);
    await Promise.all([jafflr.stop(), chillybin.stop()]);
  });
});
