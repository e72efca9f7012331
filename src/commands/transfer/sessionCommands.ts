import type { CommandFactory } from '../commandContext';
import { resumeDownload } from './downloadCommand';
import { resumeTransfer as resumeFromJournal } from './transferJournals';
import { transferSession } from './transferSession';
import { resumeUpload, runUpload } from './uploadCommands';

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

/** Goes on with an interrupted upload or download (the newest, or the one whose journal id is given). */
export const resumeTransfer: CommandFactory = (context) => async (id?: unknown) => resumeFromJournal(context, typeof id === 'string' ? id : undefined, {
  upload: (target, journal) => resumeUpload(context, target, journal),
  download: (target, journal) => resumeDownload(context, target, journal),
});
