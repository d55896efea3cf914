import { createMigrator, migrations, openDatabase } from '../src/app';
import type { Db } from '../src/db';

function schemaOf(db: Db): unknown[] {
  return db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name != 'migrations' ORDER BY name").all();
}

describe('migrations', () => {
  test('up runs every migration once; a second up does nothing', async () => {
    const db = openDatabase(':memory:');
    const migrator = createMigrator(db);
    expect((await migrator.up()).map((m) => m.name)).toEqual(migrations.map((m) => m.name));
    expect(await migrator.up()).toEqual([]);
    expect(await migrator.pending()).toEqual([]);
  });

  test('every migration can go down and up again to the same schema', async () => {
    const db = openDatabase(':memory:');
    const migrator = createMigrator(db);
    await migrator.up();
    const migrated = schemaOf(db);
    await migrator.down({ to: 0 });
    expect(schemaOf(db)).toEqual([]);
    await migrator.up();
    expect(schemaOf(db)).toEqual(migrated);
  });
});
