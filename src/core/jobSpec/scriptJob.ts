import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import type { JobInputSpec, JobOutputSpec } from '../../azure/domain';
import { type CommandShell, quoteForPosixShell, readableCmdWord } from '../shellWords';
import type { JobDraft } from './jobDraft';
import { JobSpecError } from './jobSpecError';

/** What the user chose for a script run. */
export interface ScriptPicks {
  experimentName: string;
  /** Undefined leaves it to the service (the local workspace runs on this machine). */
  computeId?: string;
  environmentId: string;
  displayName?: string;
  command: string;
  /** Values of the `${{inputs.x}}` the command uses: literals, or cloud paths (`azureml://…`, `https://…`). */
  inputValues?: Record<string, string>;
}

/**
 * `python <script relative to the snapshot folder>`, the path quoted for the shell that will run
 * the command (see jobCommandShell). A JobSpecError when cmd.exe can't be given the name at all.
 */
export function defaultScriptCommand(scriptPath: string, snapshotRoot: string, shell: CommandShell = 'posix'): string {
  let relative = path.relative(snapshotRoot, scriptPath).split(path.sep).join('/');
  // Python would read a name starting with - as one of its options.
  if (relative.startsWith('-')) relative = `./${relative}`;
  if (shell === 'posix') return `python ${quoteForPosixShell(relative)}`;
  const word = readableCmdWord(relative);
  if (word === undefined) {
    throw new JobSpecError(l10n.t("cmd.exe can't be given the name {0}: it holds a line break or another control character. Rename the file, or write the command yourself.", JSON.stringify(relative)));
  }
  return `python ${word}`;
}

/** The names of `${{inputs.x}}` / `${{outputs.x}}` a command uses, in order, once each. */
export function commandReferences(command: string): { inputs: string[]; outputs: string[] } {
  const inputs = new Set<string>();
  const outputs = new Set<string>();
  for (const m of command.matchAll(/\$\{\{\s*(inputs|outputs)\.([A-Za-z0-9_-]+)\s*\}\}/g)) {
    (m[1] === 'inputs' ? inputs : outputs).add(m[2]!);
  }
  return { inputs: [...inputs], outputs: [...outputs] };
}

/** An input value: a cloud path becomes a uri_folder (trailing `/`) or uri_file input, anything else a literal. */
export function inputSpecOf(value: string): JobInputSpec {
  if (/^(azureml:\/\/|https?:\/\/|wasbs?:\/\/|abfss?:\/\/)/i.test(value)) {
    return { type: value.endsWith('/') ? 'uri_folder' : 'uri_file', uri: value };
  }
  return { type: 'literal', value };
}

/** A job draft for running a script: its snapshot folder is the code, the command as edited. */
export function scriptJobDraft(snapshotRoot: string, picks: ScriptPicks): JobDraft {
  const command = picks.command.trim();
  if (!command) throw new JobSpecError(l10n.t('The command is empty.'));
  const refs = commandReferences(command);
  const inputs: Record<string, JobInputSpec> = {};
  for (const name of refs.inputs) {
    const value = picks.inputValues?.[name];
    if (value === undefined) throw new JobSpecError(l10n.t('The command uses {0} but no value was given for it.', `\${{inputs.${name}}}`));
    inputs[name] = inputSpecOf(value);
  }
  const outputs: Record<string, JobOutputSpec> = Object.fromEntries(refs.outputs.map((name) => [name, { type: 'uri_folder' as const }]));
  const job: JobDraft['job'] = { command, environmentId: picks.environmentId, experimentName: picks.experimentName };
  if (picks.displayName) job.displayName = picks.displayName;
  if (picks.computeId) job.computeId = picks.computeId;
  if (refs.inputs.length > 0) job.inputs = inputs;
  if (refs.outputs.length > 0) job.outputs = outputs;
  return { job, codeFolder: snapshotRoot, warnings: [] };
}
