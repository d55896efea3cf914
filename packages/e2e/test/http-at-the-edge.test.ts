import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * HTTP stays at the edge: a service's app, routes and answers.ts (what a client is told
 * for each domain error) speak HTTP; its domain throws domain errors and imports neither
 * express nor @toasties/http, so it can be read, tested and reused without a request in
 * sight (docs/contract.md).
 */
const EDGE: Record<string, readonly string[]> = {
  chillybin: ['answers.ts', 'app.ts', 'requests.ts', 'routes/v1.ts', 'routes/v2.ts'],
  jafflr: ['answers.ts', 'app.ts', 'routes/toastie.ts'],
};

function sourceFiles(src: string, dir = src): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(src, path);
    return entry.name.endsWith('.ts') ? [relative(src, path)] : [];
  });
}

test.each(Object.entries(EDGE))('in %s, only the edge imports express or @toasties/http', (service, edge) => {
  const src = join(__dirname, '..', '..', '..', 'services', service, 'src');
  const speaksHttp = sourceFiles(src).filter((file) => /from '(express|@toasties\/http)'/.test(readFileSync(join(src, file), 'utf8')));
  expect(speaksHttp.sort()).toEqual([...edge].sort());
});
