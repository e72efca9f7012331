import * as l10n from '@vscode/l10n';
import type { ContainerClient } from '@azure/storage-blob';
import type { ModelVersion } from '../../azure/domain';
import { AzureMlError, toAzureMlError } from '../../azure/errors';
import { isMetadataOf, modelMetadata } from './modelLocation';

/**
 * Whose backup a target folder (`<prefix><model>/<version>/`) holds.
 *
 * model.json is still written last, so to other tools (and people) it keeps meaning "a finished
 * backup of this model". Before any file is copied, a backup claims an empty folder with
 * {@link incompleteMarker}: the same metadata plus `"backupState": "incomplete"`, created only if
 * no other run created it first. It stays while the backup is unfinished (failed or canceled), so
 * a re-run of the same version finds it and goes on, and it is deleted once model.json is written.
 * A folder holding files but neither record belongs to nobody known (an unfinished backup by an
 * older version of this code, or other data): it is refused, never overwritten.
 */
const incompleteMarker = 'azureml-backup-incomplete.json';

/** The JSON object in `name`; undefined when there is no such blob, `{}` when it is not JSON. */
async function readRecord(destination: ContainerClient, name: string, signal: AbortSignal | undefined): Promise<Record<string, unknown> | undefined> {
  try {
    const text = (await destination.getBlobClient(name).downloadToBuffer(0, undefined, signal ? { abortSignal: signal } : {})).toString('utf8');
    const parsed = JSON.parse(text) as unknown;
    return parsed !== null && typeof parsed === 'object' ? parsed as Record<string, unknown> : {};
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    if (error instanceof SyntaxError) return {};
    throw toAzureMlError(error);
  }
}

const described = (held: Record<string, unknown>, key: string): string => String(held[key] ?? '?');

/**
 * Makes `target` this version's backup folder before anything is copied into it, or refuses:
 * the same name and version in another workspace (or registered anew) is another model, whose
 * backup (finished or not) is not overwritten by this one, nor mixed with its files.
 */
export async function claimBackupTarget(destination: ContainerClient, target: string, version: ModelVersion, signal: AbortSignal | undefined): Promise<void> {
  const where = `${destination.url.split('?')[0]}/${target}`;
  const finished = await readRecord(destination, `${target}model.json`, signal);
  if (finished) {
    if (isMetadataOf(finished, version)) return;
    throw new AzureMlError(l10n.t('{0} already holds the backup of another model {1} version {2} (registered {3}, stored at {4}): choose another folder for this one, or delete that backup first. Nothing was copied.',
      where, described(finished, 'name'), described(finished, 'version'), described(finished, 'createdAt'), described(finished, 'modelUri')),
    409, 'BackupOfAnotherModel');
  }
  for (let attempt = 0; ; attempt++) {
    const unfinished = await readRecord(destination, `${target}${incompleteMarker}`, signal);
    if (unfinished) {
      if (isMetadataOf(unfinished, version)) return;
      throw new AzureMlError(l10n.t('{0} holds an unfinished backup of another model {1} version {2} (registered {3}, stored at {4}): choose another folder for this one, or finish or delete that backup first. Nothing was copied.',
        where, described(unfinished, 'name'), described(unfinished, 'version'), described(unfinished, 'createdAt'), described(unfinished, 'modelUri')),
      409, 'BackupOfAnotherModel');
    }
    let first: string | undefined;
    try {
      for await (const page of destination.listBlobsFlat({ prefix: target }).byPage({ maxPageSize: 1 })) {
        first = page.segment.blobItems[0]?.name;
        break;
      }
    } catch (error) {
      throw toAzureMlError(error);
    }
    if (first !== undefined) {
      throw new AzureMlError(l10n.t('{0} already holds files (such as {1}) but no record of which model they belong to: they may be an unfinished backup of another model. Choose another folder for this one, or delete those files first. Nothing was copied.',
        where, first.slice(target.length)),
      409, 'BackupFolderNotEmpty');
    }
    const text = `${JSON.stringify({ ...modelMetadata(version), backupState: 'incomplete' }, null, 2)}\n`;
    try {
      await destination.getBlockBlobClient(`${target}${incompleteMarker}`).upload(text, Buffer.byteLength(text), {
        blobHTTPHeaders: { blobContentType: 'application/json' }, conditions: { ifNoneMatch: '*' }, ...(signal ? { abortSignal: signal } : {}),
      });
      return;
    } catch (error) {
      // Another run claimed the folder between the look and the claim: whose is it?
      const status = (error as { statusCode?: number }).statusCode;
      if ((status !== 409 && status !== 412) || attempt > 0) throw toAzureMlError(error);
    }
  }
}

/** Marks the backup at `target` finished: model.json, then the unfinished marker goes (model.json wins if that delete fails). */
export async function finishBackupTarget(destination: ContainerClient, target: string, version: ModelVersion, signal: AbortSignal | undefined): Promise<void> {
  const text = `${JSON.stringify(modelMetadata(version), null, 2)}\n`;
  await destination.getBlockBlobClient(`${target}model.json`).upload(text, Buffer.byteLength(text), {
    blobHTTPHeaders: { blobContentType: 'application/json' }, ...(signal ? { abortSignal: signal } : {}),
  });
  await destination.getBlobClient(`${target}${incompleteMarker}`).deleteIfExists().catch(() => undefined);
}
