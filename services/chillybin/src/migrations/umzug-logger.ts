import type { LogWriter } from '@toasties/observability/log-writer';

/** Umzug logs bare objects; "migrating" says nothing "migrated" does not, so it is debug. */
export function umzugLogger(logger: LogWriter) {
  const level = (write: LogWriter['info']) => (details: Record<string, unknown>) => write.call(logger, details, `migration ${String(details.event)}`);
  const info = level(logger.info);
  const debug = level(logger.debug);
  return { info: (details: Record<string, unknown>) => (details.event === 'migrating' ? debug : info)(details), warn: level(logger.warn), error: level(logger.error), debug };
}
