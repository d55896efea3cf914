import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

// The short variant of `npm run test:zero-downtime`: real services, real keep-alive load,
// real SIGHUPs. The script itself exits 1 if a single request failed.
const script = join(__dirname, '..', '..', '..', 'scripts', 'zero-downtime.mjs');

describe('reloading both services under keep-alive load', () => {
  test('no request fails', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [script, '--seconds', '4', '--reloads', '1', '--connections', '20'], { timeout: 90_000 });
    expect(stdout).toMatch(/zero-downtime: PASS/);
    expect(stdout).toMatch(/statuses: 200×\d+\s*$/m);
  }, 120_000);
});
