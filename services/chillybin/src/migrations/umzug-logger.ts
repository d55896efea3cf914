import type { LogWriter } from '@toasties/observability/log-writer';

/** Umzug logs bare objects ({event: 'migrated', name}); give each line a message too. */
export function umzugLogger(logger: LogWriter) {
  const level = (write: LogWriter['info']) => (details: Record<string, unknown>) => write.call(logger, details, `migration ${String(details.event)}`);
  return { info: level(logger.info), warn: level(logger.warn), error: level(logger.error), debug: level(logger.debug) };
}
