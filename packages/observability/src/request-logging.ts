import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { chooseRequestId, REQUEST_ID_HEADER } from './request-context';

/**
 * One line per request in pino-http's shape (5xx at error with an `err`, 4xx at warn), without its two
 * child loggers and three listeners per request. Query strings are left out: they carry customer names.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = Date.now();
    const id = chooseRequestId(req);
    res.setHeader(REQUEST_ID_HEADER, id);
    // As the request arrived: a router may rewrite req.url on the way.
    const method = req.method;
    const path = (req.url ?? '').split('?')[0] ?? '';
    // 'close' follows 'finish', and also comes alone when the client goes away first: one line either way.
    res.once('close', () => {
      const { statusCode } = res;
      const responseTime = Date.now() - started;
      const message = `${method} ${path} ${statusCode}`;
      if (statusCode >= 500) {
        logger.error({ req: { id, method, path }, res: { statusCode }, err: new Error(`failed with status code ${statusCode}`), responseTime }, message);
      } else {
        logger[statusCode >= 400 ? 'warn' : 'info']({ req: { id, method, path }, res: { statusCode }, responseTime }, message);
      }
    });
    next();
  };
}
