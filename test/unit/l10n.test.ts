import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { webviewHtml } from '../../src/ui/webviewHtml';
import { datastoreNameError } from '../../src/forms/validation';
import { remoteFolderProblem } from '../../src/core/transfer/remotePaths';
import { repoRoot } from '../support/repo';

const script = path.join(repoRoot, 'scripts', 'l10n.mjs');
const dutch = JSON.parse(readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.nl.json'), 'utf8')) as Record<string, string>;

function checkBundles(root: string): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [script, '--check', '--root', root], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

/** A checkout holding one source file, its bundles and a manifest, to break one piece at a time. */
function miniCheckout(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'azml-l10n-'));
  const all: Record<string, string> = {
    'src/hello.ts': "import * as l10n from '@vscode/l10n';\nexport const hello = (n: number): string => l10n.t('Uploaded {0} files', n);\n",
    'l10n/bundle.l10n.json': JSON.stringify({ 'Uploaded {0} files': 'Uploaded {0} files' }),
    'l10n/bundle.l10n.nl.json': JSON.stringify({ 'Uploaded {0} files': '{0} bestanden geüpload' }),
    'package.json': JSON.stringify({ contributes: { commands: [{ command: 'x.upload', title: '%command.upload.title%' }] } }),
    'package.nls.json': JSON.stringify({ 'command.upload.title': 'Upload' }),
    'package.nls.nl.json': JSON.stringify({ 'command.upload.title': 'Uploaden' }),
    ...files,
  };
  for (const [file, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('Dutch and English', () => {
  afterEach(() => l10n.config({ contents: {} }));

  it('has every message of the sources and of package.json in the English and Dutch bundles', () => {
    const result = checkBundles(repoRoot);
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0);
  });

  it('fails, naming the message, when the Dutch bundle lacks a key', () => {
    const root = miniCheckout({ 'l10n/bundle.l10n.nl.json': '{}' });
    try {
      const result = checkBundles(root);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /bundle\.l10n\.nl\.json has no translation for "Uploaded \{0\} files"/);
    } finally { rmSync(root, { recursive: true, force: true }); }
  });

  it('fails when a new l10n.t message is not in the bundle, or package.json names a missing or untranslated key', () => {
    const root = miniCheckout({
      'src/more.ts': "import * as l10n from '@vscode/l10n';\nexport const bye = (): string => l10n.t('Goodbye');\n",
      'package.json': JSON.stringify({ contributes: { commands: [{ command: 'x.a', title: '%command.upload.title%' }, { command: 'x.b', title: '%command.gone.title%' }] } }),
      'package.nls.nl.json': '{}',
    });
    try {
      const result = checkBundles(root);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /bundle\.l10n\.json is out of date .*not in it: "Goodbye"/);
      assert.match(result.stderr, /package\.json uses %command\.gone\.title% but package\.nls\.json has no such key/);
      assert.match(result.stderr, /package\.nls\.nl\.json has no translation for "command\.upload\.title"/);
    } finally { rmSync(root, { recursive: true, force: true }); }
  });

  it('fails on an l10n.t call whose message is not a literal', () => {
    const root = miniCheckout({ 'src/dynamic.ts': "import * as l10n from '@vscode/l10n';\nexport const f = (m: string): string => l10n.t(m);\n" });
    try {
      const result = checkBundles(root);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /src\/dynamic\.ts:2: l10n\.t needs a string literal/);
    } finally { rmSync(root, { recursive: true, force: true }); }
  });

  it('speaks English in the vscode-free layers until the extension gives them the Dutch bundle', () => {
    assert.equal(remoteFolderProblem('a\\b'), 'Use "/" to separate folders, not "\\".');
    assert.equal(datastoreNameError(''), 'Enter a name for the datastore.');
    l10n.config({ contents: dutch });
    assert.equal(remoteFolderProblem('a\\b'), 'Gebruik "/" om mappen te scheiden, niet "\\".');
    assert.equal(datastoreNameError(''), 'Voer een naam in voor het gegevensarchief.');
  });

  it('puts the display language and its messages into a form page, where markup in them cannot end the script element', () => {
    const html = webviewHtml({
      title: 'Gegevensarchief registreren', cspSource: 'vscode-resource:', nonce: 'n0nce', scriptUri: 'form.js', styleUris: [],
      messages: { 'Loading…': 'Laden…', 'x': '</script><script>alert(1)</script>' }, language: 'nl',
    });
    assert.match(html, /<html lang="nl">/);
    const json = /<script type="application\/json" id="l10n-messages" nonce="n0nce">(.*)<\/script>/.exec(html)?.[1];
    assert.ok(json, 'the page carries the messages');
    assert.doesNotMatch(json, /</);
    assert.deepEqual(JSON.parse(json), { 'Loading…': 'Laden…', 'x': '</script><script>alert(1)</script>' });
  });
});

