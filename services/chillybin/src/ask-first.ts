/** Declining exits 0: it is an answer, not a failure (a non-zero exit makes npm print "Lifecycle script failed"). */
export function askedFirst(yes: boolean, what: string, discarded: readonly string[], toDoIt: string): boolean {
  if (yes) return true;
  console.log(what);
  for (const line of discarded.length > 0 ? discarded : ['no data: no rows or values are lost']) console.log(`  ${line}`);
  console.log(`nothing was changed; run again with --yes to ${toDoIt}`);
  return false;
}
