import type { Response } from 'express';
import { errorBody, statusOf, type ErrorBody, type ErrorCode, type ErrorDetails } from '@toasties/contract';

export interface HttpErrorOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly details?: ErrorDetails;
  /** Only for a status fixed before the catalogue (v1 /pick's 410s) or chosen by a library (an unknown 4xx). */
  readonly status?: number;
}

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

  get body(): ErrorBody {
    return errorBody(this.code, this.message, this.details);
  }
}

export function sendError(res: Response, error: HttpError): void {
  res.set(error.headers);
  res.status(error.status).json(error.body);
}
