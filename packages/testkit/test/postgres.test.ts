import { describeWithPostgres, removeTempDirs, startPostgres, stopAllProcesses, type PostgresServer } from '../src';

// What a server startPostgres starts promises about durability: the benchmarks' figures
// (npm run bench, docs/scaling.md) are durable ones only if the server really is.
const durability = async (server: PostgresServer) =>
  Object.fromEntries(
    (await server.query<{ name: string; setting: string }>("SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')")).map(
      ({ name, setting }) => [name, setting],
    ),
  );

describeWithPostgres('startPostgres', () => {
  // This file uses testkit's source, not the build jest/after-each-file.js cleans up after.
  afterAll(async () => {
    await stopAllProcesses();
    removeTempDirs();
  });

  test('for tests, no disk in the loop; durable, every setting a COMMIT needs to be on disk is on', async () => {
    const fast = await startPostgres();
    expect(await durability(fast)).toEqual({ fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' });
    await fast.stop();
    const durable = await startPostgres({ durable: true });
    expect(await durability(durable)).toEqual({ fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' });
    await durable.stop();
  });
});
