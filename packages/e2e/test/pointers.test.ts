import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Every pointer a reader follows resolves, and every command the docs give runs from a fresh
// clone as written: links and their #anchors, README sections named in a doc or a comment,
// npm scripts (one that runs dist/ must build it first), compose files and profiles, and the
// repository's own scripts and paths. The answers of the docs' curls are the README test's.

const root = join(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)];

/** Every file a comment may point from: the scripts, the sources and tests, CI, deploy files. */
function sourceFiles(dir = ''): string[] {
  const skip = new Set(['node_modules', 'dist', '.git', '.turbo', '.deploy', 'coverage', 'data']);
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return skip.has(entry.name) ? [] : sourceFiles(path);
    return /\.(ts|js|mjs|cjs|sh|yml|yaml|json)$|^last_commit\.sh$|^Dockerfile/.test(entry.name) && !path.endsWith('package-lock.json') ? [path] : [];
  });
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .replace(/`/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');

/** Headings outside code fences, as written. */
function headings(markdown: string): string[] {
  let inFence = false;
  return markdown.split('\n').flatMap((line) => {
    if (/^```/.test(line)) inFence = !inFence;
    const heading = !inFence && /^#{1,6} (.+)$/.exec(line)?.[1];
    return heading ? [heading.trim()] : [];
  });
}

/** Anchors, with GitHub's -1, -2 … for a repeated heading. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  return new Set(
    headings(markdown).map((heading) => {
      const base = slug(heading);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      return count === 0 ? base : `${base}-${count}`;
    }),
  );
}

/** Text outside code fences and inline code: what a reader sees as prose. */
const prose = (markdown: string) => markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');

describe('links in the README and docs/', () => {
  const links = pages.flatMap((page) =>
    [...prose(read(page)).matchAll(/\]\(([^)\s]+)\)/g)].map(([, target]) => ({ page, target: target! })).filter(({ target }) => !/^[a-z]+:/.test(target)),
  );

  test('there are links to check', () => expect(links.length).toBeGreaterThan(40));

  test('each reaches a file that exists, and its #anchor a heading there', () => {
    const broken = links.flatMap(({ page, target }) => {
      const [path = '', anchor] = target.split('#');
      const file = path ? join(dirname(join(root, page)), path) : join(root, page);
      if (!existsSync(file)) return [`${page}: ${target} (no such file)`];
      if (anchor === undefined || statSync(file).isDirectory()) return [];
      return anchors(readFileSync(file, 'utf8')).has(anchor) ? [] : [`${page}: ${target} (no such heading)`];
    });
    expect(broken).toEqual([]);
  });
});

describe('README sections named elsewhere', () => {
  const sections = new Set(headings(read('README.md')));
  // `README, "Observability"`, `README.md ("Configuration")`, `"Deploy a change" in the README`, `the README's "Deploy a change"`
  const named = [...pages.filter((page) => page !== 'README.md'), ...sourceFiles().filter((file) => file !== 'packages/e2e/test/pointers.test.ts')].flatMap((file) => {
    const text = read(file);
    return [...text.matchAll(/README(?:\.md)?(?:'s)?[ ,(]{1,3}"([^"\n]+)"|"([^"\n]+)" in the README/g)].map((match) => ({ file, section: (match[1] ?? match[2])! }));
  });

  test('some are named', () => expect(named.length).toBeGreaterThan(3));

  test('each is a heading of the README', () => {
    expect(named.filter(({ section }) => !sections.has(section)).map(({ file, section }) => `${file}: "${section}"`)).toEqual([]);
  });
});

// ---- commands ---------------------------------------------------------------------------

/** Every command in ```sh blocks (continuations joined, comments dropped) and in inline code. */
function commandsIn(markdown: string): string[] {
  const commands: string[] = [];
  const lines = markdown.split('\n');
  let inSh = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^```/.test(line)) {
      inSh = !inSh && line.trim() === '```sh';
      continue;
    }
    if (!inSh || /^\s*(#|$)/.test(line)) continue;
    let command = line;
    while (command.endsWith('\\')) command = `${command.slice(0, -1)} ${lines[++i] ?? ''}`;
    commands.push(command.replace(/\s+#\s.*$/, '').trim());
  }
  for (const [, code] of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/`([^`\n]+)`/g)) {
    if (/^(?:[A-Z_]+=\S+ )*(npm|docker|node|bash|\.\/|kubectl)\s/.test(code!)) commands.push(code!);
  }
  return commands;
}

const documented = pages.flatMap((page) => commandsIn(read(page)).map((command) => ({ page, command })));
const packageJson = (dir: string) => JSON.parse(read(join(dir, 'package.json'))) as { name: string; scripts?: Record<string, string> };
const workspaces = ['.', ...['packages', 'services'].flatMap((dir) => readdirSync(join(root, dir)).map((name) => `${dir}/${name}`))].filter((dir) => existsSync(join(root, dir, 'package.json')));
const byName = new Map(workspaces.map((dir) => [packageJson(dir).name, dir]));

describe('commands in the README and docs/, as a fresh clone runs them', () => {
  test('there are commands to check', () => expect(documented.length).toBeGreaterThan(30));

  test('each npm script exists where it is run, and one that runs dist/ builds it first', () => {
    const wrong = documented.flatMap(({ page, command }) =>
      [...command.matchAll(/\bnpm (?:run (\S+)|(start|test))((?: (?:-w|--workspace) \S+)?)/g)].flatMap(([, run, builtin, workspaceFlag]) => {
        const script = (run ?? builtin)!;
        const workspace = /\S+$/.exec(workspaceFlag!.trim())?.[0];
        if (script.startsWith('-') || workspace === '…') return []; // prose about npm, not a command
        const dir = workspace ? byName.get(workspace) : '.';
        if (dir === undefined) return [`${page}: ${command} (no workspace ${workspace})`];
        const body = packageJson(dir).scripts?.[script];
        if (body === undefined) return [`${page}: ${command} (no script "${script}" in ${dir}/package.json)`];
        return /\bdist\//.test(body) && !/\b(build|tsc)\b/.test(body) ? [`${page}: ${command} (${dir}: "${body}" needs a build first)`] : [];
      }),
    );
    expect(wrong).toEqual([]);
  });

  test('docker compose names its file, and a profile that file has (postgres: with the URL chillybin uses)', () => {
    const compose = read('docker/compose.yml');
    const profiles = new Set([...compose.matchAll(/profiles: \[([^\]]+)\]/g)].flatMap(([, list]) => list!.split(',').map((name) => name.trim())));
    const wrong = documented
      .filter(({ command }) => /\bdocker compose\b/.test(command))
      .flatMap(({ page, command }) => {
        const problems: string[] = [];
        if (!/ -f docker\/compose\.yml\b/.test(command)) problems.push('no -f docker/compose.yml');
        for (const [, profile] of command.matchAll(/--profile (\S+)/g)) if (!profiles.has(profile!)) problems.push(`no profile ${profile}`);
        if (/--profile postgres\b/.test(command) && /\bup\b/.test(command) && !/\bCHILLYBIN_DATABASE_URL=/.test(command)) problems.push('postgres without CHILLYBIN_DATABASE_URL: chillybin would stay on SQLite');
        return problems.map((problem) => `${page}: ${command} (${problem})`);
      });
    expect(wrong).toEqual([]);
  });

  test('every script or path of the repository a command names exists', () => {
    const missing = documented.flatMap(({ page, command }) =>
      // kubectl names resources (deploy/jafflr) as well as paths: only its -k and -f are paths
      [...command.matchAll(/^kubectl\b/.test(command) ? / -[kf] (\S+)/g : /(?:^|[\s=])(\.\/[\w./-]+|(?:scripts|docker|k8s|bench|deploy|services|packages)\/[\w./-]*[\w/])/g)]
        .map(([, path]) => path!.replace(/^\.\//, ''))
        .filter((path) => !/\/(data|dist)\b|<|\.db$/.test(path) && !existsSync(join(root, path)))
        .map((path) => `${page}: ${command} (${path})`),
    );
    expect(missing).toEqual([]);
  });
});

