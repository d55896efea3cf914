import { statSync } from 'node:fs';

/**
 * A database file or WAL unlinked or replaced under a running chillybin leaves the connection
 * writing into a file nobody will read: the writes look committed and are lost at restart.
 */
export class DatabaseFileReplaced extends Error {
  constructor(readonly file: string, why: string) {
    super(`${file} ${why}; restart chillybin on the database file that is meant to be there`);
    this.name = 'DatabaseFileReplaced';
  }
}

export interface FileIdentity {
  check(): void;
}

const inode = (path: string) => statSync(path, { throwIfNoEntry: false })?.ino;

/** Taken right after opening in WAL mode (the WAL exists from the first read on). */
export function fileIdentity(path: string): FileIdentity {
  if (path === ':memory:') return { check: () => undefined };
  const files = [path, `${path}-wal`].map((file) => ({ file, opened: inode(file) }));
  return {
    check() {
      for (const { file, opened } of files) {
        if (opened === undefined) continue;
        const now = inode(file);
        if (now !== opened) throw new DatabaseFileReplaced(file, now === undefined ? 'was deleted' : 'was replaced by another file');
      }
    },
  };
}
