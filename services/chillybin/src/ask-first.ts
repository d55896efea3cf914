/**
 * The one rule of chillybin's commands that discard data (migrate down, restore, a backup
 * over an existing file): say what would be discarded, and do it only when the command
 * was given --yes. Without it, nothing changes and the command exits 0: declining is an
 * answer, not a failure (a non-zero exit makes npm print "Lifecycle script failed").
 *
 *   if (!askedFirst(yes, `restore ${file} would discard:`, lines, 'restore')) return;
 */
export function askedFirst(yes: boolean, what: string, discarded: readonly string[], toDoIt: string): boolean {
  if (yes) return true;
  console.log(what);
  for (const line of discarded.length > 0 ? discarded : ['no data: no rows or values are lost']) console.log(`  ${line}`);
  console.log(`nothing was changed; run again with --yes to ${toDoIt}`);
  return false;
}
