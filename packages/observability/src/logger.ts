import pino, { type Logger } from 'pino';
import { prettyLine } from './pretty-line';

export type { Logger };

export interface LoggerOptions {
  readonly service: string;
  readonly version: string;
  readonly level: string;
  /** Unset: pretty only on a terminal. */
  readonly format?: 'json' | 'pretty';
  readonly destination?: pino.DestinationStream;
}

export function createLogger({ service, version, level, format, destination }: LoggerOptions): Logger {
  const chosen = format ?? (process.stdout.isTTY ? 'pretty' : 'json');
  const options = { level, base: { service, version, pid: process.pid } };
  if (chosen === 'json') return destination ? pino(options, destination) : pino(options);
  // Synchronous pretty printing: no worker thread, nothing lost when the process exits.
  // pino-pretty is loaded only here: a service logging JSON never needs it.
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pino(options, pretty({ ...prettyLine, sync: true, ...(destination ? { destination } : {}) }));
}
