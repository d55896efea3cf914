import type { Response } from 'express';
import { errorBody, statusOf, type ErrorBody, type ErrorCode, type ErrorDetails } from '@toasties/contract';

export interface HttpErrorOptions {
  /** Sent with the answer: Retry-After, Allow, WWW-Authenticate… */
  readonly headers?: Readonly<Record<string, string>>;
  /** Put in the body after `error` and `message`: what a client acts on (e.g. `ingredient`). */
  readonly details?: ErrorDetails;
  /**
   * The status, when it is not the catalogue's: only for an answer whose status was fixed
   * before the catalogue (v1 /pick's 410s) or chosen by a library (an unknown 4xx).
   */
  readonly status?: number;
}

/**
 * An error meant for the client: its code (from the catalogue in @toasties/contract, which
 * gives its status), message and details are sent as they are, in the shared shape
 * `{"error": code, "message": message, ...details}`.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly details: ErrorDetails;

  constructor(
    readonly code: ErrorCode,
    message: string,
    { headers = {}, details = {}, status = statusOf(code) }: HttpErrorOptions = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
    this.details = details;
  }

  /** The JSON body: the one place an error body is put together. */
  get body(): ErrorBody {
    return errorBody(this.code, this.message, this.details);
  }
}

export function sendError(res: Response, error: HttpError): void {
  res.set(error.headers);
  res.status(error.status).json(error.body);
}
