import { posixQuotingAt, quoteForJobShell, type PosixQuoting } from './shellQuoting';

const reference = /\$\{\{\s*(inputs|outputs)\.([A-Za-z0-9_-]+)\s*\}\}/g;

/**
 * What `${{inputs.x}}` / `${{outputs.y}}` stands for: a value the job itself gave (a literal,
 * a Direct uri), substituted verbatim as Azure ML does; or a local path the runner made,
 * which holds names from storage and the data folder and so reaches the shell as one quoted argument.
 */
export type CommandValue = { verbatim: string } | { path: string };

export interface CommandValues {
  inputs: Readonly<Record<string, CommandValue>>;
  outputs: Readonly<Record<string, CommandValue>>;
}

export class UnresolvedReferenceError extends Error {}

/**
 * Replaces `${{inputs.x}}` and `${{outputs.y}}` with their values, paths quoted by `quotePath`
 * for where the reference stands: `"${{inputs.x}}"` gets quoting that holds inside "…".
 */
export function substituteReferences(command: string, values: CommandValues,
  quotePath: (path: string, quoting: PosixQuoting) => string = (path, quoting) => quoteForJobShell(path, process.platform, quoting)): string {
  return command.replace(reference, (_match, kind: 'inputs' | 'outputs', name: string, offset: number) => {
    const value = values[kind][name];
    if (value === undefined) {
      throw new UnresolvedReferenceError(`The command refers to ${kind}.${name}, which has no value.`);
    }
    return 'path' in value ? quotePath(value.path, posixQuotingAt(command, offset)) : value.verbatim;
  });
}
