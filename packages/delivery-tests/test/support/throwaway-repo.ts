import { appendFileSync, cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { tempDir } from '@toasties/testkit';
import { dirname, join } from 'node:path';
import { output, repoRoot } from './run';

const author = ['-c', 'user.name=delivery-tests', '-c', 'user.email=delivery-tests@example.invalid', '-c', 'commit.gpgsign=false'];

export interface ThrowawayRepo {
  readonly dir: string;
  /** Append a line to each path (creating it if needed) and commit; returns the new commit. */
  commitChange(paths: readonly string[], message?: string): string;
  git(...args: string[]): string;
}

/**
 * A new git repository holding a copy of this tree (tracked files and new ones not yet
 * committed, without ignored ones), committed once. node_modules is linked, not copied,
 * so turbo and the scripts run there as they do here.
 */
export function throwawayRepo(): ThrowawayRepo {
  const dir = tempDir('delivery-repo'); // removed when the test file ends
  const files = output('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard']).split('\0').filter(Boolean);
  for (const file of files) {
    const from = join(repoRoot, file);
    if (!existsSync(from)) continue; // deleted in the working tree, not yet committed
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(from, join(dir, file), { verbatimSymlinks: true });
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));

  const git = (...args: string[]) => output('git', [...author, ...args], { cwd: dir });
  git('init', '--quiet', '--initial-branch=main');
  // .gitignore's "node_modules/" matches directories only, not this link.
  appendFileSync(join(dir, '.git', 'info', 'exclude'), 'node_modules\n');
  git('add', '--all');
  git('commit', '--quiet', '--message', 'the tree as it is');

  return {
    dir,
    git,
    commitChange(paths, message = `change ${paths.join(', ')}`) {
      for (const path of paths) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        appendFileSync(join(dir, path), '\n'); // whitespace keeps every format valid
      }
      git('add', '--all');
      git('commit', '--quiet', '--message', message);
      return git('rev-parse', 'HEAD');
    },
  };
}
