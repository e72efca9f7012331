import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { noAnswerError } from '../../src/azure/transport';
import { localFileProblem } from '../../src/core/localFileErrors';
import type { RunSummary } from '../../src/core/runLogTailer';
import { runSummaryLines } from '../../src/core/runSummaryText';
import { containerNameError, containerNoun } from '../../src/forms/validation';
import { readDiscoveryFile } from '../../src/local/discovery';
import { describeError } from '../../src/ui/describeError';
import { repoRoot } from '../support/repo';

const dutch = JSON.parse(readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.nl.json'), 'utf8')) as Record<string, string>;

/** The layers whose text a user reads in VS Code (the CLI and the local service's own log stay English). */
function sources(dir = path.join(repoRoot, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return ['cli', 'local'].includes(e.name) && dir.endsWith('src') ? [] : sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Index just past the `)` closing the call whose `(` is at `open`, skipping string and template literals. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\'' || c === '"' || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return text.length;
}

interface Found { where: string; text: string }

/** Each l10n.t(…) call of the UI-facing sources, with what stands right before and after it. */
function l10nCalls(): Array<Found & { args: string; before: string; after: string }> {
  const calls = [];
  for (const file of sources()) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bl10n\.t\(/g)) {
      const start = m.index;
      const end = closingParen(text, start + m[0].length - 1);
      const where = `${path.relative(repoRoot, file)}:${text.slice(0, start).split('\n').length}`;
      const callStart = text.slice(0, start).endsWith('vscode.') ? start - 'vscode.'.length : start;
      calls.push({
        where, text: text.slice(callStart, end).slice(0, 100), args: text.slice(start + m[0].length, end - 1),
        before: text.slice(Math.max(0, callStart - 20), callStart).trimEnd(), after: text.slice(end, end + 20).trimStart(),
      });
    }
  }
  return calls;
}

describe('whole translated sentences', () => {
  afterEach(() => l10n.config({ contents: {} }));

  it('builds no message by gluing two translated pieces together', () => {
    const glued = l10nCalls().filter((c) => (/[^+]\+$/.test(c.before) || /^\+[^+]/.test(c.after))).map((c) => `${c.where}: ${c.text}`);
    assert.deepEqual(glued, []);
  });

  it('puts no translated piece into another translated message', () => {
    const nested = l10nCalls().filter((c) => /\bl10n\.t\(/.test(c.args)).map((c) => `${c.where}: ${c.text}`);
    assert.deepEqual(nested, []);
  });

  it('writes every line of the Azure ML output channel, and every tree tooltip, through l10n', () => {
    const literal: string[] = [];
    for (const file of sources()) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        // A literal with a word in it; one holding only values (`${name}: ${warning}`) has nothing to translate.
        const literalArgument = /\b(?:log\.(?:info|warn|error)\(|appendLines\(\[|appendMarkdown\()\s*(`[^`]*`|'[^']*'|"[^"]*")/.exec(line)?.[1];
        if (literalArgument && /[A-Za-z]{3,}/.test(literalArgument.replace(/\$\{[^}]*\}/g, ''))) literal.push(`${path.relative(repoRoot, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(literal, []);
  });

  it('says a wait and a refused permission in Dutch without an English word in the middle', () => {
    l10n.config({ contents: dutch });
    assert.match(noAnswerError('Azure Blob Storage', 'https://a.blob.core.windows.net/c', 1000).message,
      /^Azure Blob Storage \(a\.blob\.core\.windows\.net\) reageert niet meer: er is 1 seconde lang niets binnengekomen\. Controleer/);
    assert.match(noAnswerError('Azure Files', 'https://a.file.core.windows.net/s', 30_000).message, /er is 30 seconden lang niets binnengekomen/);
    const denied = Object.assign(new Error('denied'), { code: 'EACCES', syscall: 'open', path: '/data/x.csv' });
    assert.equal(localFileProblem(denied), '/data/x.csv kan niet worden gelezen (toegang geweigerd): controleer de machtigingen of kies een andere.');
  });

  it('names a file share in the datastore form, and why no local workspace runs, in Dutch', async () => {
    l10n.config({ contents: dutch });
    assert.equal(containerNoun('AzureFile'), 'bestandsshare');
    assert.equal(containerNameError('', 'AzureFile'), 'Voer de naam van de bestandsshare in.');
    const empty = mkdtempSync(path.join(os.tmpdir(), 'azml-nl-'));
    try {
      const error = await readDiscoveryFile(empty).then(() => assert.fail('no discovery file'), (e: unknown) => e);
      assert.equal(describeError(error, 'local').message, `Er draait geen lokale werkruimte voor ${empty} (geen local-workspace.json).`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('says how a run ended in Dutch, the status word too', () => {
    l10n.config({ contents: dutch });
    const ended: RunSummary = { runId: 'r1', status: 'NotResponding', finished: true, warnings: [], failingLines: [], bytesFetched: 0, logBytes: 0, requests: { details: 0, logReads: 0 } };
    assert.equal(runSummaryLines({ ...ended, status: 'Completed', startTime: new Date(0), endTime: new Date(3000) })[0], 'Uitvoering r1: Voltooid na 3s.');
    assert.equal(runSummaryLines(ended)[0], 'Uitvoering r1: Reageert niet.');
  });
});
