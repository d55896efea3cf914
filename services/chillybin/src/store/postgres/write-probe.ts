import type { SideConnection } from './pool';

/**
 * The probe readiness writes after a write failed: a committed write, which a full disk or a
 * read-only server refuses; on readiness' own connection, so a pool busy with requests does
 * not fail it. Two statements in one query string are one implicit transaction.
 */
export function postgresWriteProbe(side: SideConnection): Promise<void> {
  return side.query("INSERT INTO write_probe (filler) VALUES (decode(repeat('00', 4096), 'hex')); DELETE FROM write_probe");
}
