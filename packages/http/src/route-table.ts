import { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { HttpError } from './errors';

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly handlers: readonly RequestHandler[];
  /** Sees this route's errors only, before the app's own error answers (v1's 410s). */
  readonly answers?: ErrorRequestHandler;
  /** A GET that changes state (kept for old clients): HEAD must not run it, so HEAD is 405. Every
   * other GET answers HEAD as GET with no body (RFC 9110 §9.3.2). */
  readonly changesState?: boolean;
}

const VERB_ORDER = ['GET', 'HEAD', 'POST'];

function verbsOf(routes: readonly Route[]): string[] {
  const verbs = new Set<string>(routes.map((route) => route.method));
  if (routes.some((route) => route.method === 'GET' && !route.changesState)) verbs.add('HEAD');
  return VERB_ORDER.filter((verb) => verbs.has(verb));
}

function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  const allow = allowed.join(', ');
  return (req, _res, next) => next(new HttpError('method_not_allowed', `${req.method} is not allowed here; use ${allow}`, { headers: { Allow: allow } }));
}

/** The 405s' verbs come from the table itself, so a new route gets its 405s and nothing reads express's internals. */
export function routeTable(routes: readonly Route[]): Router {
  const router = Router();
  const paths = [...new Set(routes.map((route) => route.path))];
  for (const path of paths) {
    const own = routes.filter((route) => route.path === path);
    const refuse = methodNotAllowed(verbsOf(own));
    // express runs a GET route for HEAD; a HEAD route declared first is found before it.
    if (own.some((route) => route.method === 'GET' && route.changesState)) router.head(path, refuse);
    for (const { method, handlers, answers } of own) router[method === 'GET' ? 'get' : 'post'](path, ...handlers, ...(answers ? [answers] : []));
    router.all(path, refuse);
  }
  return router;
}
