import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Response } from 'express';
import type { ErrorCode } from '@toasties/contract';
import helmet from 'helmet';
import type { LogWriter } from '@toasties/observability/log-writer';
import { refuseDeclaredOversize } from './declared-body-size';
import { HttpError, sendError } from './errors';
import { requireUtf8Json } from './json-charset';
import { limitQueryParameters, parseEveryParameter } from './query-parameters';

export interface JsonAppOptions {
  readonly bodyLimit: number;
  readonly parameterLimit: number;
  readonly logger: LogWriter<'error'>;
  /** Run before body parsing can refuse a request, so a 400 for invalid JSON is logged and counted too. */
  readonly observe: readonly RequestHandler[];
}

export const defaults: JsonAppOptions = {
  bodyLimit: 100 * 1024,
  parameterLimit: 1000,
  logger: { error: (details, message) => console.error(message, details) },
  observe: [],
};

const bodyParserErrors: Record<string, [ErrorCode, string]> = {
  'entity.parse.failed': ['invalid_json', 'the request body is not valid JSON'],
  'entity.too.large': ['payload_too_large', 'the request body is too large'],
  'encoding.unsupported': ['unsupported_encoding', 'the request body encoding is not supported'],
  'charset.unsupported': ['unsupported_charset', 'the request body charset is not supported'],
  'request.size.invalid': ['invalid_body', 'the request body does not match its Content-Length'],
  'request.aborted': ['request_aborted', 'the request was aborted'],
};

/** node refuses an HTTP/1.1 request with no Host with an empty 400; protocol-errors.ts hands that check to us. */
const requireHost: RequestHandler = (req, _res, next) => {
  if (req.httpVersion === '1.1' && req.headers.host === undefined) return next(new HttpError('missing_host', 'an HTTP/1.1 request needs a Host header'));
  next();
};

const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError('not_found', `no route for ${req.method} ${req.path}`));
};

function errorHandler(logger: LogWriter<'error'>): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof HttpError) return sendError(res, error);
    const type = (error as { type?: unknown } | null)?.type;
    const known = typeof type === 'string' ? bodyParserErrors[type] : undefined;
    if (known) return sendError(res, new HttpError(...known));
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(res, new HttpError('bad_request', 'the request could not be understood', { status }));
    }
    logger.error({ err: error, method: req.method, url: req.originalUrl }, 'unhandled error');
    sendError(res, new HttpError('internal_error', 'something went wrong; it has been logged'));
  };
}

/** Plus a final newline, so the shell prompt after `curl` starts on a line of its own. Express's json
 * settings (replacer, spaces, escape) are not used by these apps. */
function jsonWithNewline(this: Response, body: unknown): Response {
  if (!this.get('Content-Type')) this.type('application/json');
  return this.send(`${JSON.stringify(body)}\n`);
}

export function createJsonApp(mount: (app: Express) => void, options: Partial<JsonAppOptions> = {}): Express {
  const { bodyLimit, parameterLimit, logger, observe } = { ...defaults, ...options };
  const app = express();
  app.disable('x-powered-by');
  // Every answer is live state or the outcome of a write: no client revalidates one, so no hash of each body.
  app.disable('etag');
  app.response.json = jsonWithNewline; // this app's responses only, every route and error alike
  app.set('query parser', parseEveryParameter);
  app.use(
    ...observe,
    helmet(),
    requireHost,
    limitQueryParameters(parameterLimit),
    refuseDeclaredOversize(bodyLimit),
    requireUtf8Json,
    express.json({ limit: bodyLimit }),
  );
  mount(app);
  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
