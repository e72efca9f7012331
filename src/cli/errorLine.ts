import { AzureMlError, messageWithAdvice } from '../azure/errors';
import { maskSecrets } from '../azure/secrets';
import { localFileProblem } from '../core/localFileErrors';
import { UsageError } from './usage';

/** The one line (without the `azml: ` prefix) and the exit code for anything a command threw. */
export function errorLine(error: unknown): { line: string; exitCode: number } {
  if (error instanceof UsageError) return { line: `${firstLine(error.message)} (azml --help lists commands and options)`, exitCode: 2 };
  const text = error instanceof AzureMlError ? messageWithAdvice(error)
    : localFileProblem(error) ?? (error instanceof Error ? error.message : String(error));
  return { line: firstLine(text), exitCode: 1 };
}

function firstLine(text: string): string {
  return maskSecrets(text).split('\n')[0]!.trim();
}
