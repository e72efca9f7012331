// Builds l10n/bundle.l10n.json from the l10n.t('…') calls in src/ (vscode.l10n.t in the UI layer,
// @vscode/l10n's t elsewhere) and checks the translations.
//   node scripts/l10n.mjs           writes l10n/bundle.l10n.json
//   node scripts/l10n.mjs --check   fails when that file is stale, a call has no literal message,
//                                   or a key is missing from (or stale in) a translation
// --root DIR works on another checkout (the tests use a copy).
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const check = args.includes('--check');
const rootIndex = args.indexOf('--root');
const root = path.resolve(rootIndex >= 0 ? args[rootIndex + 1] : path.join(import.meta.dirname, '..'));
const translations = ['nl'];

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

const escapes = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '`': '`', $: '$', '0': '\0' };
/** The value of the string literal starting at `text[start]`, or undefined when there is none. */
function readLiteral(text, start) {
  const quote = text[start];
  if (!`'"\``.includes(quote)) return undefined;
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === quote) return { value, end: i + 1 };
    if (c === '\\') {
      const next = text[++i];
      if (next === 'u') { value += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16)); i += 4; }
      else value += escapes[next] ?? next;
      continue;
    }
    if (quote === '`' && c === '$' && text[i + 1] === '{') return undefined;
    value += c;
  }
  return undefined;
}

export function extract(rootDir) {
  const messages = new Set();
  const problems = [];
  for (const file of sourceFiles(path.join(rootDir, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bl10n\.t\(\s*/g)) {
      const literal = readLiteral(text, m.index + m[0].length);
      const line = text.slice(0, m.index).split('\n').length;
      if (!literal) problems.push(`${path.relative(rootDir, file)}:${line}: l10n.t needs a string literal (placeholders {0}, {1}, … for values)`);
      else messages.add(literal.value);
    }
  }
  return { messages: [...messages].sort(), problems };
}

function readJson(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

function keyProblems(english, translated, what) {
  if (!translated) return [`${what} is missing`];
  const missing = Object.keys(english).filter((k) => typeof translated[k] !== 'string' || !translated[k].trim());
  const stale = Object.keys(translated).filter((k) => !(k in english));
  return [
    ...missing.map((k) => `${what} has no translation for ${JSON.stringify(k)}`),
    ...stale.map((k) => `${what} has a key no longer used: ${JSON.stringify(k)}`),
  ];
}

export function checkAll(rootDir) {
  const { messages, problems } = extract(rootDir);
  const bundle = Object.fromEntries(messages.map((m) => [m, m]));
  const bundleFile = path.join(rootDir, 'l10n', 'bundle.l10n.json');
  const written = readJson(bundleFile);
  if (JSON.stringify(written) !== JSON.stringify(bundle)) {
    const have = new Set(Object.keys(written ?? {}));
    const absent = messages.filter((m) => !have.has(m));
    problems.push(`l10n/bundle.l10n.json is out of date (run node scripts/l10n.mjs)${absent.length ? `; not in it: ${absent.map((m) => JSON.stringify(m)).join(', ')}` : ''}`);
  }
  for (const lang of translations) {
    problems.push(...keyProblems(bundle, readJson(path.join(rootDir, 'l10n', `bundle.l10n.${lang}.json`)), `l10n/bundle.l10n.${lang}.json`));
  }
  const nls = readJson(path.join(rootDir, 'package.nls.json')) ?? {};
  const manifest = readFileSync(path.join(rootDir, 'package.json'), 'utf8');
  for (const [, key] of manifest.matchAll(/"%([^%"]+)%"/g)) {
    if (!(key in nls)) problems.push(`package.json uses %${key}% but package.nls.json has no such key`);
  }
  for (const lang of translations) {
    problems.push(...keyProblems(nls, readJson(path.join(rootDir, `package.nls.${lang}.json`)), `package.nls.${lang}.json`));
  }
  return { bundle, problems };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { bundle, problems } = checkAll(root);
  if (check) {
    for (const p of problems) console.error(p);
    process.exit(problems.length ? 1 : 0);
  }
  const hard = problems.filter((p) => !p.startsWith('l10n/bundle.l10n.json is out of date') && !p.includes('bundle.l10n.'));
  writeFileSync(path.join(root, 'l10n', 'bundle.l10n.json'), `${JSON.stringify(bundle, null, 2)}\n`);
  for (const p of problems.filter((x) => !x.startsWith('l10n/bundle.l10n.json is out of date'))) console.error(p);
  console.log(`l10n/bundle.l10n.json: ${Object.keys(bundle).length} messages`);
  process.exit(hard.length ? 1 : 0);
}
