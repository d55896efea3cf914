import { OutOfStock } from '@toasties/contract';
import type { RecordedOutcome } from './store';

/**
 * How a keyed order's outcome is kept in idempotency_keys (status, body): the form releases
 * before this one wrote, kept because old and new releases share one database during a rolling
 * update and each must replay what the other recorded. This is the only code that knows it;
 * both backends' keys tables store through it, and the answer is built at the edge from the
 * outcome, never from these columns.
 */
export interface StoredForm {
  readonly status: number;
  readonly body: string;
}

const PLACED = 201;
const SHORT = 409;
/** OutOfStock's message, which the stored form carries instead of its numbers. */
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
