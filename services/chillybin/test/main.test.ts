import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { freshDatabasePath, spawnProcess, startService, stopAllProcesses } from '@toasties/testkit';

const main = join(__dirname, '..', 'dist', 'main.js');
const migrateCli = join(__dirname, '..', 'dist', 'migrate-cli.js');

afterAll(stopAllProcesses);

describe('chillybin as a process', () => {
  test('starts on a new database file, migrates it, serves, and stops cleanly on SIGTERM', async () => {
    const service = await startService(main, { DATABASE_PATH: freshDatabasePath(), VERSION: 'abc123' });
    const health = await (await fetch(`${service.url}/health`)).json() as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', service: 'chillybin', version: 'abc123' });
    expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
    expect(await (await fetch(`${service.url}/`)).json()).toMatchObject({ cheese: 10 });
    await expect(service.stop('SIGTERM')).resolves.toEqual({ code: 0, signal: null });
  });

  test('keeps its stock across a restart (a real file, not memory)', async () => {
    const DATABASE_PATH = freshDatabasePath();
    const first = await startService(main, { DATABASE_PATH });
    expect((await fetch(`${first.url}/pick?name=ham&quantity=3`, { method: 'POST' })).status).toBe(200);
    await first.stop();
    const second = await startService(main, { DATABASE_PATH });
    expect(await (await fetch(`${second.url}/`)).json()).toMatchObject({ ham: 7 });
    await second.stop();
  });

  test.each<[string, Record<string, string>]>([
    ['PORT', { PORT: 'seventy' }],
    ['SHUTDOWN_DELAY_MS', { SHUTDOWN_DELAY_MS: 'soon' }],
    ['SHUTDOWN_TIMEOUT_MS', { SHUTDOWN_DELAY_MS: '5000', SHUTDOWN_TIMEOUT_MS: '100' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'chatty' }],
    ['LOG_FORMAT', { LOG_FORMAT: 'yaml' }], // read through the config package, as LOG_LEVEL is
    ['FLAG_PICK_V1', { FLAG_PICK_V1: 'maybe later' }],
    ['IDEMPOTENCY_KEY_TTL_SECONDS', { IDEMPOTENCY_KEY_TTL_SECONDS: '0' }],
    ['ADMIN_TOKEN', { ADMIN_TOKEN: 'short' }],
    ['RATE_LIMIT_PER_MINUTE', { RATE_LIMIT_PER_MINUTE: '0' }],
    // Values that look almost right: each would start a service that then misbehaves.
    ['FLAG_PICK_V1', { FLAG_PICK_V1: 'maybe' }],
    ['FLAG_PICK_V1', { FLAG_PICK_V1: 'TRUE' }],
    ['PORT', { PORT: '0x1F41' }],
    ['PORT', { PORT: ' 7005 ' }],
    ['WORKERS', { WORKERS: '1.0' }],
    ['RATE_LIMIT_PER_MINUTE', { RATE_LIMIT_PER_MINUTE: '1e2' }],
    ['ADMIN_TOKEN', { ADMIN_TOKEN: 'correct horse battery staple' }],
  ])('with a bad %s, prints one clear line naming it and exits non-zero', async (name, env) => {
    const proc = spawnProcess(process.execPath, [main], { DATABASE_PATH: ':memory:', PORT: '0', ...env });
    const exit = await proc.waitForExit();
    expect(exit.code).toBe(1);
    const lines = proc.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^config error: ${name}: .+`));
    expect(proc.output()).not.toMatch(/\s+at /); // no stack trace
  });
});

describe('chillybin as a process, with a flag in capitals', () => {
  test('FLAG_PICK_V1=ON starts with v1 on, as on would', async () => {
    const service = await startService(main, { DATABASE_PATH: ':memory:', FLAG_PICK_V1: 'ON' });
    expect((await fetch(`${service.url}/pick?name=cheese&quantity=1`, { method: 'POST' })).status).toBe(200);
    await service.stop();
  });
});

describe('npm run migrate (the CLI behind it)', () => {
  test('status, up and down report and change the schema', () => {
    const env = { ...process.env, DATABASE_PATH: freshDatabasePath() };
    const cli = (...args: string[]) => execFileSync(process.execPath, [migrateCli, ...args], { env, encoding: 'utf8' });
    expect(cli('status')).toMatch(/pending\s+0001-ingredients\n\s+pending\s+0002-orders\n\s+pending\s+0003-order-public-ids\n\s+pending\s+0004-write-probe/);
    expect(cli('up')).toMatch(/up\s+0001-ingredients\n\s+up\s+0002-orders\n\s+up\s+0003-order-public-ids\n\s+up\s+0004-write-probe/);
    expect(cli('down')).toMatch(/would undo 0004-write-probe.*\n {2}table write_probe \(empty\)\nnothing was changed/);
    expect(cli('down', '--yes')).toMatch(/up\s+0003-order-public-ids\n\s+pending\s+0004-write-probe/);
    expect(() => execFileSync(process.execPath, [migrateCli, 'sideways'], { env, stdio: 'pipe' })).toThrow(/usage: migrate up \| down \[--yes\] \| status/);
  });
});
