/**
 * @toasties/http — the express basics both services share, so that every error a
 * client ever sees has the shape {"error": "<code>", "message": "<human text>"}.
 *
 *   const app = createJsonApp((app) => { app.use(routeTable(routes)) }, { logger });
 *
 * Handlers throw `new HttpError('out_of_stock', 'no cheese left', { details: { ingredient } })`
 * (the code is one of @toasties/contract's catalogue, which gives its status); anything else
 * that is thrown becomes a 500 `internal_error` whose details go to the log only.
 * `deprecated({ deprecatedAt, sunsetAt, successor })` marks a route as on its way out.
 * `routeTable(routes)` serves a service's routes and, for each path, 405 with Allow for any
 * other verb; HEAD answers as GET with no body, except where a GET changes state;
 * `answerProtocolErrorsAsJson(server)` gives node's own errors (431, 400, 408, 417, CONNECT)
 * the same shape.
 */
export { HttpError, sendError } from './errors';
export type { HttpErrorOptions } from './errors';
export { createJsonApp, defaults } from './json-app';
export type { JsonAppOptions } from './json-app';
export { routeTable } from './route-table';
export type { Route } from './route-table';
export { requireJsonBody } from './require-json';
export { refuseUnknownFields, onlyQueryParameters } from './unknown-fields';
export { answerProtocolErrorsAsJson } from './protocol-errors';
export { presentsBearerToken, requireBearerToken } from './bearer-token';
export { serveClusterRateLimits, writeRateLimit } from './rate-limit';
export type { WriteRateLimitOptions } from './rate-limit';
export { deprecated, deprecationHeaders } from './deprecation';
export type { DeprecationOptions } from './deprecation';
