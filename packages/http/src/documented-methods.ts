import { METHODS } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { HttpError } from './errors';

/**
 * The one rule for verbs: a request reaches the routes only with a method the HTTP contract
 * documents (GET and POST). Express would otherwise run a GET handler for HEAD, and the
 * deprecated GET /pick and GET /toastie change state: `curl -I` took stock and made toasties
 * no one received. So HEAD, OPTIONS and every other method are answered here, before any
 * handler: 405 with the path's real verbs in `Allow` (RFC 9110 §15.5.6), or 404 when no
 * route has the path. A new route is covered without anyone remembering to cover it.
 */
export function onlyDocumentedMethods(documented: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (documented.includes(req.method)) return next();
    const allowed = documented.filter((method) => routedMethods(req).has(method));
    if (allowed.length === 0) return next(new HttpError('not_found', `no route for ${req.method} ${req.path}`));
    const allow = allowed.join(', ');
    next(new HttpError('method_not_allowed', `${req.method} is not allowed here; use ${allow}`, { headers: { Allow: allow } }));
  };
}

/**
 * The parts of express 5's router (the `router` package) read here: each layer can match a
 * path; a route layer lists its verbs; a mounted router has its own stack. Nothing else is
 * assumed, and anything unexpected means "no verbs", which answers 404 rather than guessing.
 */
interface Layer {
  match?: (path: string) => { path?: string } | false;
  route?: { methods?: Record<string, boolean> };
  handle?: { stack?: unknown };
}

/**
 * The verbs a route layer was given. `router.all()` marks its route `_all`; `app.all()`
 * registers every verb node knows, one by one. Either is a catch-all (a 405 fallback), not
 * a verb the path supports, so it adds nothing.
 */
function verbsOf(route: NonNullable<Layer['route']>): string[] {
  const verbs = Object.keys(route.methods ?? {}).filter((verb) => verb !== '_all');
  return verbs.length >= METHODS.length ? [] : verbs.map((verb) => verb.toUpperCase());
}

/** Every verb some route registers for the request's path (upper case; `all()` routes add none). */
function routedMethods(req: Request): Set<string> {
  const found = new Set<string>();
  collect(req.app.router.stack as unknown, req.path, found);
  return found;
}

function collect(stack: unknown, path: string, found: Set<string>): void {
  if (!Array.isArray(stack)) return;
  for (const layer of stack as Layer[]) {
    const match = typeof layer.match === 'function' ? layer.match(path) : false;
    if (!match) continue;
    if (layer.route) {
      for (const verb of verbsOf(layer.route)) found.add(verb);
    } else if (layer.handle?.stack) {
      // A mounted router sees the path with its mount point taken off.
      collect(layer.handle.stack, path.slice((match.path ?? '').length) || '/', found);
    }
  }
}
