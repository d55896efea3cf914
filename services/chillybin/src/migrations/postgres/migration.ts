import type { ClientBase } from 'pg';

/** Named as its SQLite twin (../NNNN-*.ts); `down` must undo `up` exactly. */
export interface PostgresMigration {
  readonly name: string;
  up(client: ClientBase): Promise<void>;
  down(client: ClientBase): Promise<void>;
}
