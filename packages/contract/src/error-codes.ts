// A code outside this catalogue cannot be answered: HttpError takes only an ErrorCode and reads its
// status here. The one exception: v1 /pick answers 410 for two codes (chillybin's answers.ts).
interface Entry {
  readonly status: number;
  readonly meaning: string;
}

export const ERROR_CODES = {
  // Any route of either service: the HTTP edge (@toasties/http, @toasties/graceful).
  bad_request: { status: 400, meaning: 'the request is not valid HTTP, or could not be understood' },
  invalid_json: { status: 400, meaning: 'the body is not valid JSON' },
  invalid_body: { status: 400, meaning: 'the body does not match its Content-Length, or is not the JSON object the route takes' },
  request_aborted: { status: 400, meaning: 'the client went away before the body arrived' },
  missing_host: { status: 400, meaning: 'an HTTP/1.1 request without a Host header' },
  too_many_parameters: { status: 400, meaning: 'more query parameters than the edge accepts' },
  unknown_field: { status: 400, meaning: 'a field or query parameter the route does not read' },
  unauthorized: { status: 401, meaning: 'an admin route without the right bearer token' },
  not_found: { status: 404, meaning: 'no route for this path' },
  method_not_allowed: { status: 405, meaning: 'a verb the path does not take; Allow lists those it does' },
  request_timeout: { status: 408, meaning: 'the request did not arrive in time' },
  payload_too_large: { status: 413, meaning: 'the body (or a chunk extension) is over the limit' },
  unsupported_media_type: { status: 415, meaning: 'a body that is not application/json' },
  unsupported_charset: { status: 415, meaning: 'a JSON body in a charset other than UTF-8' },
  unsupported_encoding: { status: 415, meaning: 'a body in a Content-Encoding the service does not read' },
  expectation_failed: { status: 417, meaning: 'an Expect header other than 100-continue' },
  rate_limited: { status: 429, meaning: 'past RATE_LIMIT_PER_MINUTE; Retry-After says when to come back' },
  headers_too_large: { status: 431, meaning: 'the request headers are too large' },
  internal_error: { status: 500, meaning: 'a bug; the details are in the log, never in the answer' },
  method_not_implemented: { status: 501, meaning: 'a method no route of the service takes (CONNECT, unknown verbs)' },
  not_ready: { status: 503, meaning: 'GET /health/ready: a check fails or the service is shutting down' },
  shutting_down: { status: 503, meaning: 'the service is draining and the request body did not arrive in time, or it is stopping and no worker takes new connections; send it again' },
  no_workers: { status: 503, meaning: 'the primary holds the port but no worker serves right now (a crash, a start); Retry-After' },

  // chillybin
  missing_name: { status: 400, meaning: 'v1 /pick without ?name=' },
  missing_quantity: { status: 400, meaning: 'v1 /pick without ?quantity=' },
  invalid_name: { status: 400, meaning: 'v1 /pick: a name that breaks the ingredient-name rule, or given twice' },
  invalid_quantity: { status: 400, meaning: 'v1 /pick: a quantity that is not a whole number from 1 to MAX_PICK_QUANTITY, or given twice' },
  invalid_restock: { status: 400, meaning: 'POST /restock: amounts that are not ingredient names to whole numbers' },
  invalid_pick: { status: 400, meaning: 'POST /v2/pick: a body that breaks the pick rules; the message names the first problem' },
  invalid_idempotency_key: { status: 400, meaning: 'an Idempotency-Key that is neither a quoted nor a bare key (chillybin POST /v2/pick, jafflr POST /toastie)' },
  unknown_ingredient: { status: 400, meaning: 'an ingredient the chillybin does not hold; `ingredient` names it (v1 /pick: 410, no details)' },
  order_not_found: { status: 404, meaning: 'GET /v2/orders/:id: no order has this id' },
  out_of_stock: { status: 409, meaning: 'not enough of an ingredient, nothing taken; chillybin v2 names it in `ingredient` (v1 /pick: 410, no details)' },
  gone: { status: 410, meaning: 'v1 /pick is switched off (FLAG_PICK_V1=off); Link names its successor' },
  idempotency_key_reused: { status: 422, meaning: 'an Idempotency-Key already used by this customer with another request, nothing taken (chillybin POST /v2/pick, jafflr POST /toastie)' },
  database_busy: { status: 503, meaning: 'the database is locked by another process; nothing changed, Retry-After' },
  database_unavailable: { status: 503, meaning: 'the database cannot be read or written; nothing changed, Retry-After' },
  outcome_unknown: { status: 503, meaning: 'the database did not confirm a write and could not be asked: it may have happened; check before repeating it, or repeat it with the same Idempotency-Key' },
  storage_full: { status: 507, meaning: 'the database cannot grow (disk full); nothing changed, Retry-After' },

  // jafflr
  no_ingredients: { status: 400, meaning: 'a toastie with no ingredient' },
  too_many_ingredients: { status: 400, meaning: 'a toastie with more ingredients than fit' },
  invalid_ingredient: { status: 400, meaning: 'an ingredient that breaks the ingredient-name rule' },
  invalid_ingredients: { status: 400, meaning: 'the ingredients given both as "i" and as "ingredients"' },
  no_cheese: { status: 400, meaning: 'a toastie without cheese (or sheese)' },
  invalid_doneness: { status: 400, meaning: 'a doneness that is not light, medium, well-done or burnt, or given twice' },
  invalid_customer: { status: 400, meaning: 'a customer that breaks the customer-name rule, or given twice' },
  query_and_body: { status: 400, meaning: 'a toastie given both in the query string and in the body' },
  chillybin_unavailable: { status: 503, meaning: 'the chillybin could not be reached or refused; Retry-After passes on its own' },
  chillybin_timeout: { status: 504, meaning: 'the chillybin did not answer in time' },
} as const satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof ERROR_CODES;

export type ErrorBody = { readonly error: ErrorCode; readonly message: string } & Readonly<Record<string, unknown>>;

/** A code from outside the catalogue (only plain JS can pass one) is a bug. */
export function statusOf(code: ErrorCode): number {
  if (!isErrorCode(code)) throw new RangeError(`${JSON.stringify(code)} is not in the error-code catalogue (@toasties/contract)`);
  return ERROR_CODES[code].status;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

export type ErrorDetails = Readonly<Record<string, unknown>> & { readonly error?: never; readonly message?: never };

/** `error` and `message` first, then the details, always in that order. */
export function errorBody(code: ErrorCode, message: string, details: ErrorDetails = {}): ErrorBody {
  return { error: code, message, ...details };
}
