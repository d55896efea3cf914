import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { HttpError, sendError } from './errors';

export interface ErrorLogger {
  error(details: object, message: string): void;
}

export interface JsonAppOptions {
  /** Largest JSON body accepted; larger ones get 413. */
  readonly bodyLimit: string;
  /** Where unexpected errors are reported (the client only sees a generic 500). */
  readonly logger: ErrorLogger;
  /**
   * Middleware that sees every request first, before body parsing can refuse it (request
   * logs, metrics): a 400 for invalid JSON is logged and counted too.
   */
  readonly observe: readonly RequestHandler[];
}

export const defaults: JsonAppOptions = {
  bodyLimit: '100kb',
  logger: { error: (details, message) => console.error(message, details) },
  observe: [],
};

/** The errors body-parser raises, as the codes and messages a client should see. */
const bodyParserErrors: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'invalid_json', 'the request body is not valid JSON'],
  'entity.too.large': [413, 'payload_too_large', 'the request body is too large'],
  'encoding.unsupported': [415, 'unsupported_encoding', 'the request body encoding is not supported'],
  'charset.unsupported': [415, 'unsupported_charset', 'the request body charset is not supported'],
  'request.size.invalid': [400, 'invalid_body', 'the request body does not match its Content-Length'],
  'request.aborted': [400, 'request_aborted', 'the request was aborted'],
};

const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`));
};

function errorHandler(logger: ErrorLogger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof HttpError) {
      res.set(error.headers);
      return sendError(res, error.status, error.code, error.message);
    }
    const type = (error as { type?: unknown } | null)?.type;
    const known = typeof type === 'string' ? bodyParserErrors[type] : undefined;
    if (known) return sendError(res, ...known);
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(res, status, 'bad_request', 'the request could not be understood');
    }
    logger.error({ err: error, method: req.method, url: req.originalUrl }, 'unhandled error');
    sendError(res, 500, 'internal_error', 'something went wrong; it has been logged');
  };
}

/**
 * An express app that speaks JSON: parses JSON bodies (up to `bodyLimit`), hides
 * `x-powered-by`, sends helmet's security headers, answers unknown routes with 404 JSON and turns every error into the
 * shared error shape. `mount` adds the service's own middleware and routes.
 */
export function createJsonApp(mount: (app: Express) => void, options: Partial<JsonAppOptions> = {}): Express {
  const { bodyLimit, logger, observe } = { ...defaults, ...options };
  const app = express();
  app.disable('x-powered-by');
  for (const middleware of observe) app.use(middleware);
  // helmet's defaults: nosniff, no framing, HSTS, a strict CSP… cheap insurance for a JSON API.
  app.use(helmet());
  app.use(express.json({ limit: bodyLimit }));
  mount(app);
  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
