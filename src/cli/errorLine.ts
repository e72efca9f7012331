import * as l10n from '@vscode/l10n';
import { AzureMlError, isNotSignedInError, messageWithAdvice, toAzureMlError } from '../azure/errors';
import { maskSecrets } from '../azure/secrets';
import { localFileProblem } from '../core/localFileErrors';
import { UsageError } from './usage';

/** The one line (without the `azml: ` prefix) and the exit code for anything a command threw. */
export function errorLine(error: unknown): { line: string; exitCode: number } {
  if (error instanceof UsageError) return { line: `${firstLine(error.message)} (azml --help lists commands and options)`, exitCode: 2 };
  const serviceError = error instanceof AzureMlError ? error : isServiceError(error) ? toAzureMlError(error) : undefined;
  const text = serviceError ? serviceLine(serviceError)
    : localFileProblem(error) ?? (error instanceof Error ? error.message : String(error));
  return { line: firstLine(text), exitCode: 1 };
}

/** An SDK's error that did not pass through the clients: an HTTP answer, or no one signed in. */
function isServiceError(error: unknown): boolean {
  return typeof (error as { statusCode?: unknown } | null)?.statusCode === 'number' || isNotSignedInError(error);
}

/**
 * The message's first line (the rest is detail, such as request ids), then the
 * advice, which would otherwise be cut off with the lines after the first.
 */
function serviceLine(error: AzureMlError): string {
  const message = firstLine(error.message);
  if (error.code === 'NotSignedIn' && error.status === undefined) return l10n.t('{0} Run az login (add --tenant if needed), or set AZML_ACCESS_TOKEN.', message);
  return messageWithAdvice({ message, status: error.status, code: error.code });
}

function firstLine(text: string): string {
  return maskSecrets(text).split('\n')[0]!.trim();
}
