import type { CommandFactory } from '../commandContext';
import { transferSession } from './transferSession';
import { runUpload } from './uploadCommands';

/** Uploads again the files that failed in the last upload, with the same datastore, folder and policy. */
export const retryFailedUploads: CommandFactory = (context) => async () => {
  const failed = transferSession(context).lastFailed;
  if (!failed) return undefined;
  return runUpload(context, failed);
};

/** Cancels every upload and download under way (as each notification's Cancel button does). */
export const cancelTransfers: CommandFactory = (context) => async () => {
  const running = [...transferSession(context).running];
  for (const controller of running) controller.abort();
  return running.length;
};
