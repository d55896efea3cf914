/**
 * @toasties/contract — the one home of what the services, the scripts and the tests agree on.
 * Each part is a module of its own; nothing here does I/O or knows about HTTP frameworks.
 */
export {};

// Issue 13, part 1 (process model): the cluster IPC messages; part 6: the logger shape shared code writes to.
export * from './cluster-messages';
export type { LogLevel, LogWriter } from './log-writer';
