import type { PrettyOptions } from 'pino-pretty';

// One line of at most 100 columns, the service first so two services can share a terminal; fields
// whole while they fit, then `…`. JSON lines keep every field: this only chooses what a person reads.
export const PRETTY_LINE_WIDTH = 100;

const LEVEL_LABELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** What pino-pretty puts before the message: "[05:05:41] INFO (name): ". */
function prefixWidth(log: Record<string, unknown>): number {
  const label = LEVEL_LABELS[Number(log.level)] ?? 'USERLVL';
  return '[HH:MM:ss] '.length + label.length + (log.name === undefined ? 0 : ` (${String(log.name)})`.length) + ': '.length;
}

/** Shown in the message itself, or in every line and so worth no room. */
const NOT_SHOWN = new Set(['level', 'time', 'pid', 'hostname', 'service', 'version', 'name', 'req', 'res', 'responseTime']);

/** One a caller chose (16 characters or fewer) whole, a UUID by its first 8. */
export function shortRequestId(id: unknown): string {
  const text = String(id ?? '');
  return text.length <= 16 ? text : text.slice(0, 8);
}

interface LoggedError {
  readonly message?: unknown;
  readonly stack?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function valueText(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/** Not one whose value the message already says (event=migrated). */
function fieldsOf(log: Record<string, unknown>, messageKey: string): string[] {
  const words = new Set(String(log[messageKey] ?? '').split(' '));
  return Object.entries(log)
    .filter(([key, value]) => key !== messageKey && !NOT_SHOWN.has(key) && !(typeof value === 'string' && words.has(value)))
    .map(([key, value]) => `${key}=${key === 'err' && isObject(value) ? valueText((value as LoggedError).message) : valueText(value)}`);
}

/** A value cut short (0.0… for 0.066) would misread. */
function fitted(fields: readonly string[], room: number): string {
  let text = '';
  for (const [index, field] of fields.entries()) {
    const next = text ? `${text} ${field}` : field;
    const more = index < fields.length - 1 ? ' …'.length : 0;
    if (next.length + more > room) return text ? `${text} …` : room >= 1 ? '…' : '';
    text = next;
  }
  return text;
}

export const prettyLine: PrettyOptions = {
  translateTime: 'HH:MM:ss',
  ignore: 'pid,hostname', // pid: in every JSON line; on a terminal it would push the message right
  hideObject: true, // the fields are in the message below, as key=value
  messageFormat: (log, messageKey) => {
    let head = `${String(log.service ?? '')} ${String(log[messageKey] ?? '')}`;
    if (isObject(log.req) && isObject(log.res)) head += ` ${String(log.responseTime ?? '?')} ms ${shortRequestId(log.req.id)}`;
    const fields = fitted(fieldsOf(log, messageKey), PRETTY_LINE_WIDTH - prefixWidth(log) - head.length - 1);
    const line = fields ? `${head} ${fields}` : head;
    const stack = isObject(log.err) ? (log.err as LoggedError).stack : undefined;
    return typeof stack === 'string' && Number(log.level) >= 50 ? `${line}\n${stack}` : line;
  },
};
