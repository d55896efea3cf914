import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { output, repoRoot } from './run';

export const readRepoFile = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

/** One YAML document (merge keys `<<:` resolved, as Docker Compose does). */
export const readYaml = <T = unknown>(path: string): T => parse(readRepoFile(path), { merge: true }) as T;

/** Every document of a multi-document YAML file. */
export const readYamlDocuments = <T = unknown>(path: string): T[] => parseAllDocuments(readRepoFile(path)).map((doc) => doc.toJS() as T);

/** Files in the repository (tracked, or new and not ignored) whose path matches. */
export function repoFiles(pattern: RegExp): string[] {
  return output('git', ['ls-files', '--cached', '--others', '--exclude-standard'])
    .split('\n')
    .filter((path) => pattern.test(path));
}
