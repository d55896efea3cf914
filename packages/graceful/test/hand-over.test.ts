import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopAllProcesses, tempDir, waitFor } from '@toasties/testkit';
import { get, startHeldPortServer } from './held-port';

// The primary sends a worker one connection at a time, the next once it has taken that one.
// One worker's event loop is held busy (it takes nothing until released): a burst of new
// connections goes to the other, instead of every second one queueing behind the busy one.

afterAll(stopAllProcesses);

test('with one worker busy, new connections go to the other one', async () => {
  const { server, port } = await startHeldPortServer();
  const release = join(tempDir('hand-over'), 'release');

  const busy = await get(port, { path: `/block?until=${encodeURIComponent(release)}` });
  const answers: string[] = [];
  const requests = Array.from({ length: 10 }, () => get(port).then((answer) => answers.push(answer)));
  try {
    // The first may be sent to the busy worker (nothing is in transit to either yet); it waits
    // there, in transit (10 s before the primary sends it more anyway), and every later one
    // goes to the free worker, which answers them now.
    await waitFor(() => answers.length >= 9, { timeoutMs: 30_000, what: '9 of 10 answers while one worker is busy' });
  } finally {
    writeFileSync(release, '');
  }
  await Promise.all(requests);
  expect(answers.filter((answer) => answer === busy).length).toBeLessThanOrEqual(1);
  await server.stop('SIGTERM');
}, 120_000);
