import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { prettyLine } from './pretty-line';

export type { Logger };

export interface LoggerOptions {
  readonly service: string;
  readonly version: string;
  readonly level: string;
  /** 'pretty' for people, 'json' for machines (LOG_FORMAT, through the service's config); by default pretty only on a terminal. */
  readonly format?: 'json' | 'pretty';
  /** Where the lines go; stdout unless a test wants them. */
  readonly destination?: pino.DestinationStream;
}

export function createLogger({ service, version, level, format, destination }: LoggerOptions): Logger {
  const chosen = format ?? (process.stdout.isTTY ? 'pretty' : 'json');
  const options = { level, base: { service, version, pid: process.pid } };
  if (chosen === 'json') return destination ? pino(options, destination) : pino(options);
  // Synchronous pretty printing: no worker thread, nothing lost when the process exits.
  // Colours only where they can be seen (a terminal, or FORCE_COLOR), not in a file or pipe.
  return pino(options, pretty({ ...prettyLine, sync: true, ...(destination ? { destination } : {}) }));
}
