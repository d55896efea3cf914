import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * HTTP stays at the edge: the app, its routes and answers.ts (what a client is told for each
 * domain error) speak HTTP; the domain throws domain errors and imports neither express nor
 * @toasties/http, so it can be read, tested and reused without a request in sight.
 */
const EDGE = ['app.ts', 'answers.ts', 'main.ts', 'routes/toastie.ts'];

const src = join(__dirname, '..', 'src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [relative(src, join(dir, entry.name))] : []));

test('only the edge imports express or @toasties/http', () => {
  const speaksHttp = files(src).filter((file) => /from '(express|@toasties\/http)'/.test(readFileSync(join(src, file), 'utf8')));
  expect(speaksHttp.sort()).toEqual([...EDGE].sort());
});
