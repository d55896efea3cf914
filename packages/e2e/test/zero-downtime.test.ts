import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeWithPostgres, startPostgres } from '@toasties/testkit';

// The short variant of `npm run test:zero-downtime`: real services, real keep-alive load,
// real SIGHUPs. The script itself exits 1 if a single request failed. The load is steady
// (--rate: each of the 20 connections asks every 200 ms), so every moment of each reload
// meets requests while the suites running beside this one keep their share of the cores.
const script = join(__dirname, '..', '..', '..', 'scripts', 'zero-downtime.mjs');

async function reloadUnderLoad(env: NodeJS.ProcessEnv = {}) {
  const { stdout } = await promisify(execFile)(process.execPath, [script, '--seconds', '4', '--reloads', '1', '--connections', '20', '--rate', '100'], { timeout: 90_000, env: { ...process.env, ...env } });
  expect(stdout).toMatch(/zero-downtime: PASS/);
  expect(stdout).toMatch(/statuses: 200×\d+\s*$/m);
}

describe('reloading both services under keep-alive load', () => {
  test('no request fails', () => reloadUnderLoad(), 120_000);
});

// The same with chillybin on PostgreSQL (DATABASE_URL, which the script's services inherit).
describeWithPostgres('reloading both services under keep-alive load, chillybin on PostgreSQL', () => {
  test('no request fails', async () => {
    const postgres = await startPostgres();
    try {
      await reloadUnderLoad({ DATABASE_URL: await postgres.createDatabase('zero_downtime') });
      // The toasties were taken from PostgreSQL's stock (the script restocks 1,000,000 cheese).
      const [cheese] = await postgres.query<{ quantity: number }>("SELECT quantity FROM ingredients WHERE name = 'cheese'", [], 'zero_downtime');
      expect(cheese!.quantity).toBeLessThan(1_000_000);
    } finally {
      await postgres.stop();
    }
  }, 150_000);
});
