import { AzureMlError, toAzureMlError } from '../azure/errors';

/**
 * Awaits a call about one named thing; when the service says it does not exist, fails with
 * `message` instead (which says how to list what does), keeping the 404.
 */
export async function orNotFound<T>(call: Promise<T>, message: string): Promise<T> {
  try {
    return await call;
  } catch (error) {
    const e = toAzureMlError(error);
    if (e.isNotFound) throw new AzureMlError(message, 404, e.code);
    throw error;
  }
}
