import type { Datastore } from '../azure/domain';
import type { WorkspaceClient } from '../azure/workspaceClient';
import { throttleProgress } from '../core/transfer/progressTracker';
import { progressMessage, summaryLines, unfinishedSentence } from '../core/transfer/summary';
import type { TransferOptions } from '../core/transfer/transferRun';
import { existingFilePolicies, type ExistingFilePolicy, type TransferResult } from '../core/transfer/types';
import { checkedDatastoreName } from './nameChecks';
import { orNotFound } from './notFound';
import { UsageError } from './usage';

/** `--on-exists` spellings: the engine's names in kebab case. */
const policyNames: Record<string, ExistingFilePolicy> = { overwrite: 'overwrite', skip: 'skip', 'skip-unchanged': 'skipUnchanged' };

export const onExistsHelp = '--on-exists overwrite|skip|skip-unchanged (default skip-unchanged: same size and Content-MD5)';

export function parsePolicy(value: string | boolean | undefined): ExistingFilePolicy {
  if (value === undefined) return 'skipUnchanged';
  const policy = policyNames[String(value)];
  if (!policy || !existingFilePolicies.includes(policy)) throw new UsageError(`--on-exists takes one of ${Object.keys(policyNames).join(', ')}.`);
  return policy;
}

export async function findDatastore(client: WorkspaceClient, name: string | boolean | undefined): Promise<Datastore> {
  if (typeof name !== 'string' || name === '') throw new UsageError('Name the datastore: --datastore <name> (azml datastores lists them).');
  checkedDatastoreName(name);
  return orNotFound(client.datastores.get(name), `Datastore "${name}" does not exist in this workspace: azml datastores lists them.`);
}

/**
 * Runs a transfer with progress on stderr (at most five updates a second on a terminal, one
 * every two seconds otherwise), Ctrl-C as cancel, and the summary at the end: on stdout, or
 * the result as JSON with `--json`. Exit code 1 when anything failed or it was stopped.
 */
export async function runTransfer(json: boolean, transfer: (options: TransferOptions) => Promise<TransferResult>): Promise<number> {
  const controller = new AbortController();
  const interactive = process.stderr.isTTY === true;
  let lastLength = 0;
  const progress = throttleProgress((p) => {
    const line = progressMessage(p);
    if (interactive) {
      process.stderr.write(`\r${line.padEnd(lastLength)}`);
      lastLength = line.length;
    } else {
      process.stderr.write(`${line}\n`);
    }
  }, interactive ? 200 : 2000);
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nCanceling… (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  let result: TransferResult;
  try {
    result = await transfer({ signal: controller.signal, onProgress: progress.report });
  } finally {
    progress.flush();
    process.off('SIGINT', onSigint);
    if (interactive && lastLength > 0) process.stderr.write('\n');
  }
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${summaryLines(result).join('\n')}\n`);
  const unfinished = unfinishedSentence(result);
  if (result.fatal) process.stderr.write(`azml: ${result.fatal.message}\n`);
  else if (unfinished) process.stderr.write(`azml: ${unfinished}\n`);
  return result.fatal || result.canceled || unfinished ? 1 : 0;
}
