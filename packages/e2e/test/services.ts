import { openDatabase } from '@toasties/chillybin';
import { freshDatabasePath, rowCount, startService, type RunningService } from '@toasties/testkit';

export const chillybinMain = require.resolve('@toasties/chillybin/dist/main.js');
export const jafflrMain = require.resolve('@toasties/jafflr/dist/main.js');

export interface Stack {
  readonly chillybin: RunningService;
  readonly jafflr: RunningService;
}

/** Both services as real processes on ephemeral ports, chillybin on a fresh SQLite file. */
export async function startStack(jafflrEnv: NodeJS.ProcessEnv = {}, chillybinEnv: NodeJS.ProcessEnv = {}): Promise<Stack> {
  const chillybin = await startService(chillybinMain, { DATABASE_PATH: freshDatabasePath('e2e'), ...chillybinEnv });
  const jafflr = await startService(jafflrMain, { CHILLYBIN_URL: chillybin.url, COOK_TIME_SCALE: '0', ...jafflrEnv });
  return { chillybin, jafflr };
}

export async function stockOf(chillybin: RunningService): Promise<Record<string, number>> {
  return (await (await fetch(`${chillybin.url}/`)).json()) as Record<string, number>;
}

export async function restock(chillybin: RunningService, amounts?: Record<string, number>): Promise<void> {
  const res = await fetch(`${chillybin.url}/restock`, amounts ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(amounts) } : { method: 'POST' });
  if (res.status !== 200) throw new Error(`restock failed: ${res.status}`);
}

/** What each ingredient went down by between two stock readings (only the ones that moved). */
export function taken(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(before).filter((name) => before[name] !== after[name]).map((name) => [name, before[name]! - after[name]!]));
}

/** How many orders chillybin has recorded in its database file. */
export function orderCount(databasePath: string): number {
  const db = openDatabase(databasePath, { synchronous: 'NORMAL' }); // to read: the setting does not matter
  try {
    return rowCount(db, 'orders');
  } finally {
    db.close();
  }
}

/** Everything a request could change: stock, orders recorded, toasties made. */
export async function stateOf(stack: Stack, databasePath: string) {
  const machine = (await (await fetch(`${stack.jafflr.url}/`)).json()) as { made: number };
  return { stock: await stockOf(stack.chillybin), orders: orderCount(databasePath), made: machine.made };
}
