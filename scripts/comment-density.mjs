#!/usr/bin/env node
// Comment lines per code line in each packages/*/src and services/*/src directory.
//
//   node scripts/comment-density.mjs              # one row per directory
//   node scripts/comment-density.mjs --max 0.2    # exit 1 naming each directory above 0.2
//   node scripts/comment-density.mjs --json       # the rows as JSON, for tests
//
// A comment line is a line holding any part of a // or /* */ comment; a code line is a line
// holding anything else (a line with code and a trailing comment is both). Blank lines count as
// neither. Strings, template literals and regular expressions are skipped, so "http://" is code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const SOURCE = /\.(ts|js|mjs|cjs|mts|cts)$/;

/** Per line of `text`: does it hold code, does it hold comment. */
export function classify(text) {
  const lines = text.split('\n').map(() => ({ code: false, comment: false }));
  let line = 0;
  let i = 0;
  let lastSignificant = ''; // decides whether a `/` starts a regular expression
  const templateDepths = []; // brace depth at each open `${`
  let braces = 0;
  const mark = (kind) => { lines[line][kind] = true; };
  const step = () => { if (text[i] === '\n') line++; i++; };

  if (text.startsWith('#!')) { while (i < text.length && text[i] !== '\n') i++; mark('code'); }
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r') { step(); continue; }
    if (c === '/' && next === '/') {
      mark('comment');
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && next === '*') {
      mark('comment');
      i += 2;
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] === '\n') line++;
        else if (!/\s/.test(text[i])) mark('comment');
        i++;
      }
      if (i < text.length) mark('comment');
      i += 2;
      continue;
    }
    mark('code');
    if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
      lastSignificant = 'a';
      continue;
    }
    if (c === '`' || (c === '}' && templateDepths.at(-1) === braces)) {
      if (c === '}') { templateDepths.pop(); braces--; }
      i++;
      while (i < text.length && text[i] !== '`') {
        if (text[i] === '\\') { i += 2; continue; }
        if (text[i] === '$' && text[i + 1] === '{') { i += 2; braces++; templateDepths.push(braces); break; }
        if (text[i] !== '\n') mark('code');
        step();
      }
      if (text[i] === '`') { i++; lastSignificant = 'a'; }
      continue;
    }
    if (c === '/' && (lastSignificant === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(lastSignificant) || /\b(return|typeof|case|in|of)$/.test(text.slice(Math.max(0, i - 8), i).trimEnd()))) {
      i++;
      let inClass = false;
      while (i < text.length && text[i] !== '\n' && (inClass || text[i] !== '/')) {
        if (text[i] === '\\') { i += 2; continue; }
        if (text[i] === '[') inClass = true;
        else if (text[i] === ']') inClass = false;
        i++;
      }
      i++;
      lastSignificant = 'a';
      continue;
    }
    if (c === '{') braces++;
    if (c === '}') braces--;
    lastSignificant = c;
    i++;
  }
  return lines;
}

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** One row per packages/*\/src and services/*\/src directory under `repo`. */
export function measure(repo = root) {
  const rows = [];
  for (const group of ['packages', 'services']) {
    for (const name of readdirSync(join(repo, group)).sort()) {
      const dir = join(repo, group, name, 'src');
      if (!statSync(join(repo, group, name)).isDirectory() || !existsDir(dir)) continue;
      let comment = 0;
      let code = 0;
      for (const file of sourceFiles(dir)) {
        for (const line of classify(readFileSync(file, 'utf8'))) {
          if (line.comment) comment++;
          if (line.code) code++;
        }
      }
      rows.push({ dir: relative(repo, dir), comment, code, ratio: code === 0 ? 0 : Math.round((comment / code) * 100) / 100 });
    }
  }
  return rows;
}

function existsDir(path) {
  try { return statSync(path).isDirectory(); } catch { return false; }
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  const { values } = parseArgs({ options: { max: { type: 'string' }, json: { type: 'boolean', default: false }, root: { type: 'string', default: root } } });
  const max = values.max === undefined ? undefined : Number(values.max);
  if (max !== undefined && !(max >= 0)) {
    console.error(`--max needs a number ≥ 0, not ${JSON.stringify(values.max)}`);
    process.exit(2);
  }
  const rows = measure(resolve(values.root));
  if (values.json) console.log(JSON.stringify(rows));
  else {
    const width = Math.max(...rows.map((row) => row.dir.length));
    console.log(`${'directory'.padEnd(width)}  comment   code  ratio`);
    for (const row of rows) console.log(`${row.dir.padEnd(width)}  ${String(row.comment).padStart(7)}  ${String(row.code).padStart(5)}  ${row.ratio.toFixed(2)}`);
  }
  const over = max === undefined ? [] : rows.filter((row) => row.ratio > max);
  for (const row of over) console.error(`${row.dir}: ${row.ratio.toFixed(2)} comment lines per code line, above ${max}`);
  process.exit(over.length > 0 ? 1 : 0);
}
