const reference = /\$\{\{\s*(inputs|outputs)\.([A-Za-z0-9_-]+)\s*\}\}/g;

export interface CommandValues {
  inputs: Readonly<Record<string, string>>;
  outputs: Readonly<Record<string, string>>;
}

export class UnresolvedReferenceError extends Error {}

/**
 * Replaces `${{inputs.x}}` and `${{outputs.y}}` with their values, verbatim (as Azure ML does:
 * the command decides about quoting).
 */
export function substituteReferences(command: string, values: CommandValues): string {
  return command.replace(reference, (_match, kind: 'inputs' | 'outputs', name: string) => {
    const value = values[kind][name];
    if (value === undefined) {
      throw new UnresolvedReferenceError(`The command refers to ${kind}.${name}, which has no value.`);
    }
    return value;
  });
}
