import type { ClientBase } from 'pg';

/**
 * One schema change on PostgreSQL, named as its SQLite twin (../NNNN-*.ts) so both databases
 * go through the same steps of expand and contract. `down` must undo `up` exactly. Each runs
 * in a transaction (PostgreSQL's DDL is transactional), opened by the migrator.
 */
export interface PostgresMigration {
  readonly name: string;
  up(client: ClientBase): Promise<void>;
  down(client: ClientBase): Promise<void>;
}
