import * as l10n from '@vscode/l10n';
import { QuotingError, quotePathAt } from './shellQuoting';

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
 * Replaces `${{inputs.x}}` and `${{outputs.y}}` with their values, paths quoted for where the
 * reference stands in the command (see quotePathAt) for the shell the runner uses on `platform`.
 */
export function substituteReferences(command: string, values: CommandValues, platform: NodeJS.Platform = process.platform): string {
  return command.replace(reference, (match, kind: 'inputs' | 'outputs', name: string, offset: number) => {
    const value = values[kind][name];
    if (value === undefined) {
      throw new UnresolvedReferenceError(`The command refers to ${kind}.${name}, which has no value.`);
    }
    if (!('path' in value)) return value.verbatim;
    try {
      return quotePathAt(command, offset, value.path, platform);
    } catch (error) {
      if (error instanceof QuotingError) throw new UnresolvedReferenceError(l10n.t('The command\'s {0} can\'t be replaced by its path: {1}', match, error.message));
      throw error;
    }
  });
}
