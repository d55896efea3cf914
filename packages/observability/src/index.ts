/**
 * @toasties/observability — structured logs (and, later, metrics) for the services.
 *
 *   const logger = createLogger({ service: 'jafflr', version, level: 'info' });
 *   logger.info({ port }, 'listening');
 *
 * Logs are one JSON object per line (what log shippers want). LOG_FORMAT=pretty, or a
 * terminal on stdout, prints them readably instead.
 */
export { createLogger } from './logger';
export type { Logger, LoggerOptions } from './logger';
