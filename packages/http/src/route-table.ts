import { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { HttpError } from './errors';

/** One route of a service: what express serves, and what the 405s are computed from. */
export interface Route {
  readonly method: 'GET' | 'POST';
  /** An express path (`/v2/orders/:id`). */
  readonly path: string;
  /** Run in order. */
  readonly handlers: readonly RequestHandler[];
  /** Sees this route's errors only, before the app's own error answers (v1's 410s). */
  readonly answers?: ErrorRequestHandler;
  /**
   * A GET that changes state (a deprecated verb kept for old clients): HEAD must not run it,
   * so HEAD is 405 here. Every other GET answers HEAD as GET with no body (RFC 9110 §9.3.2).
   */
  readonly changesState?: boolean;
}

/** The order Allow lists verbs in, whatever order the table declares them. */
const VERB_ORDER = ['GET', 'HEAD', 'POST'];

/** The verbs a path answers: its routes' own, and HEAD wherever a GET is safe. */
function verbsOf(routes: readonly Route[]): string[] {
  const verbs = new Set<string>(routes.map((route) => route.method));
  if (routes.some((route) => route.method === 'GET' && !route.changesState)) verbs.add('HEAD');
  return VERB_ORDER.filter((verb) => verbs.has(verb));
}

function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  const allow = allowed.join(', ');
  return (req, _res, next) => next(new HttpError('method_not_allowed', `${req.method} is not allowed here; use ${allow}`, { headers: { Allow: allow } }));
}

/**
 * A service's routes as one table, served by one router: each route, then for each path a
 * 405 with `Allow` for every other verb (HEAD, OPTIONS, anything). The verbs come from the
 * table itself, so a new route gets its 405s, and nothing reads express's internals.
 */
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
