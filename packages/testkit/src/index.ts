/**
 * @toasties/testkit — helpers for tests that run real things.
 *
 *   await waitFor(() => server.isReady(), { what: 'server ready' });    // poll, never sleep
 *   const chillybin = await startService(require.resolve('@toasties/chillybin/dist/main.js'), env);
 *   await chillybin.stop('SIGTERM');                                    // { code: 0, signal: null }
 */
export { waitFor, GiveUp } from './wait-for';
export type { WaitOptions } from './wait-for';
export { spawnProcess, stopAllProcesses, isAlive, descendantsOf } from './process';
export type { RunningProcess, Exit, SpawnOptions } from './process';
export { startService, freePort, reloadService, logLine } from './service';
export type { RunningService } from './service';
export { freshDatabasePath, tempDir, removeTempDirs } from './temp';
export { cleanUp } from './file-clean-up';
export { schemaOf, rowCount } from './sqlite';
export type { SqliteReader } from './sqlite';
export { createFaultProxy } from './fault-proxy';
export { rawHttp } from './raw-http';
export type { RawAnswer } from './raw-http';
export type { Fault, FaultProxy } from './fault-proxy';
export { describeWithTool, checkTool, findOnPath, isCi } from './system-tool';
export type { SystemTool, ToolCheck } from './system-tool';
export { startPostgres, describeWithPostgres, describeEachBackend, hasPostgres, POSTGRES_TOOL } from './postgres';
export type { PostgresServer, PostgresServerOptions, Backend } from './postgres';
export { configMatrix, describeConfigLines, variablesNamed } from './config-matrix';
export type { ConfigMatrix, ConfigCase, ConfigLinesSuite } from './config-matrix';
export { startUnleash, describeWithUnleash, unleashServerHome, UNLEASH_TOOL, UNLEASH_SERVER_VERSION } from './unleash';
export type { UnleashServer } from './unleash';
