import { OutOfStock } from '@toasties/contract';
import type { RecordedOutcome } from './store';

/**
 * The stored form older releases wrote and still read: old and new share one database during a
 * rolling update. The answer is built from the outcome, never from these columns.
 */
export interface StoredForm {
  readonly status: number;
  readonly body: string;
}

const PLACED = 201;
const SHORT = 409;
const SHORTAGE = /^not enough (.+): (\d+) wanted, (\d+) left$/;

export function storedForm(outcome: RecordedOutcome): StoredForm {
  if (outcome.kind === 'placed') return { status: PLACED, body: JSON.stringify({ order: outcome.order }) };
  const { ingredient, message } = outcome.shortage;
  return { status: SHORT, body: JSON.stringify({ error: 'out_of_stock', message, ingredient }) };
}

export function recordedOutcome({ status, body }: StoredForm): RecordedOutcome {
  const parsed = JSON.parse(body) as { order?: Extract<RecordedOutcome, { kind: 'placed' }>['order']; ingredient?: string; message?: string };
  if (status === PLACED && parsed.order) return { kind: 'placed', order: parsed.order };
  const numbers = SHORTAGE.exec(parsed.message ?? '');
  if (status === SHORT && parsed.ingredient !== undefined && numbers) return { kind: 'short', shortage: new OutOfStock(parsed.ingredient, Number(numbers[2]), Number(numbers[3])) };
  throw new Error(`an idempotency key holds a record this release cannot read (status ${status})`);
}
