import { maskSecrets } from '../../azure/secrets';

/** Why a job failed, as RunDetails.error shows it (`UserError`: the job's own doing). */
export class JobFailure extends Error {
  constructor(readonly code: 'UserError' | 'ServiceError', message: string) {
    super(maskSecrets(message));
  }
}

/** A readable one-line reason from anything thrown, secrets masked. */
export function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return maskSecrets(message.split('\n')[0]!.trim() || 'unknown error');
}
