import type { Db } from '../db';

/** One schema change. `down` must undo `up` exactly: tests run up → down → up. */
export interface Migration {
  readonly name: string;
  up(db: Db): void;
  down(db: Db): void;
}
