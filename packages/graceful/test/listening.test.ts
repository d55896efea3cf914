import { request } from 'node:http';
import { join } from 'node:path';
import { LOG_MESSAGES } from '@toasties/contract';
import { logLine, spawnProcess, stopAllProcesses } from '@toasties/testkit';

// "listening" is the line a client waits for before its first request (testkit's
// startService, the scripts' read-log). With the primary holding the port, it must mean a
// worker serves: the primary says it once its first worker is ready, and the requests sent
// on that line are all answered by a worker.

const fixture = join(__dirname, 'fixtures', 'held-port-server.js');

afterAll(stopAllProcesses);

function get(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the "listening" line is the primary\'s, after a worker is ready, and what is sent on it is served by a worker', async () => {
  const server = spawnProcess(process.execPath, [fixture]);
  const listening = JSON.parse(await server.waitForLine(logLine(LOG_MESSAGES.listening))) as { pid: number; port: number };
  const answers = await Promise.all(Array.from({ length: 10 }, () => get(listening.port)));

  expect(answers).toEqual(Array.from({ length: 10 }, () => ({ status: 200, body: expect.stringMatching(/^hello from \d+$/) as unknown })));
  const lines = server.output().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { pid: number; msg: string });
  expect(lines.filter((line) => line.msg === LOG_MESSAGES.listening)).toEqual([expect.objectContaining({ pid: server.pid })]);
  expect(lines.findIndex((line) => line.msg === 'worker ready')).toBeLessThan(lines.findIndex((line) => line.msg === LOG_MESSAGES.listening));
  await server.stop('SIGTERM');
}, 120_000);
