import { promises as fs } from 'node:fs';
import { toAzureMlError } from '../../azure/errors';
import { maskSecrets } from '../../azure/secrets';
import { localPathForRemoteName } from '../../core/transfer/pathSafety';
import type { JsonObject } from '../workspaceApi/validation';
import type { CommandValue } from './commandReferences';
import { parseDatastoreUri, type DatastorePath } from './dataLocations';
import type { DatastoreResolver } from './datastoreResolver';
import { JobFailure } from './jobFailure';
import {
  downloadBlobFile, downloadBlobFolder, downloadShareFile, downloadShareFolder, uploadFolderToBlobs, uploadFolderToShare,
} from './transfers';

export interface DataContext {
  workspace: string;
  datastores: DatastoreResolver;
  signal: AbortSignal;
}

/** A declared output: written to `localDir` by the job, uploaded to `destination` afterwards. */
export interface OutputUpload {
  name: string;
  localDir: string;
  destination: DatastorePath;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function notADatastoreUri(kind: 'Input' | 'Output', name: string, uri: string): JobFailure {
  return new JobFailure('UserError',
    `${kind} '${name}': the local workspace reads and writes data in datastores only ` +
    `(azureml://datastores/<datastore>/paths/<path>); '${maskSecrets(uri)}' is not such a location.`);
}

/** The file name a uri_file keeps locally: the last segment of its path. */
function fileNameOf(datastorePath: string, fallback: string): string {
  return datastorePath.split('/').filter(Boolean).pop() ?? fallback;
}

/**
 * `folder/name` for a name taken from the job (an input or output, a file name in a uri), which
 * must be one safe folder or file name (the one path-safety check); else the job fails saying why.
 */
function localPlace(folder: string, name: string, what: string): string {
  const target = localPathForRemoteName(folder, name);
  if (!target.ok) throw new JobFailure('UserError', `${what} ${JSON.stringify(name)} can't be a local file or folder name: ${target.reason}.`);
  return target.localPath;
}

async function downloadInput(name: string, spec: JsonObject, target: string, context: DataContext): Promise<string> {
  const uri = str(spec['uri']) ?? '';
  const location = parseDatastoreUri(uri);
  if (!location) throw notADatastoreUri('Input', name, uri);
  const isFile = spec['jobInputType'] === 'uri_file';
  try {
    const storage = await context.datastores.open(context.workspace, location.datastore);
    if (isFile) {
      const file = localPlace(target, fileNameOf(location.path, name), `Input '${name}': the file name`);
      const found = storage.kind === 'blob'
        ? await downloadBlobFile(storage.container, location.path, file, context.signal)
        : await downloadShareFile(storage.share, location.path, file, context.signal);
      if (!found) throw new JobFailure('UserError', `Input '${name}': there is no file at ${uri}.`);
      return file;
    }
    if (storage.kind === 'blob') await downloadBlobFolder(storage.container, location.path, target, context.signal);
    else await downloadShareFolder(storage.share, location.path, target, context.signal);
    return target;
  } catch (error) {
    if (error instanceof JobFailure || context.signal.aborted) throw error;
    throw new JobFailure('UserError', `Input '${name}' could not be downloaded from ${maskSecrets(uri)}: ${toAzureMlError(error).message}`);
  }
}

/**
 * Makes every input available locally: literals as their value, datastore files and folders
 * downloaded under `inputsDir` (whatever mount mode was asked; `Direct` passes the uri on).
 * Answers the values `${{inputs.x}}` stands for.
 */
export async function prepareInputs(inputs: Record<string, JsonObject>, inputsDir: string, context: DataContext): Promise<Record<string, CommandValue>> {
  const values: Record<string, CommandValue> = {};
  for (const [name, spec] of Object.entries(inputs)) {
    if (!spec || typeof spec !== 'object') continue;
    if (spec['jobInputType'] === 'literal') {
      values[name] = { verbatim: String(spec['value'] ?? '') };
    } else if (spec['mode'] === 'Direct') {
      values[name] = { verbatim: str(spec['uri']) ?? '' };
    } else {
      values[name] = { path: await downloadInput(name, spec, localPlace(inputsDir, name, 'The input name'), context) };
    }
  }
  return values;
}

/**
 * Creates a local folder per declared output. Answers the values `${{outputs.y}}` stands for
 * (a folder; for uri_file a file path in it) and what to upload where once the job has run.
 */
export async function prepareOutputs(outputs: Record<string, JsonObject>, outputsDir: string): Promise<{ values: Record<string, CommandValue>; uploads: OutputUpload[] }> {
  const values: Record<string, CommandValue> = {};
  const uploads: OutputUpload[] = [];
  for (const [name, spec] of Object.entries(outputs)) {
    if (!spec || typeof spec !== 'object') continue;
    const uri = str(spec['uri']) ?? '';
    const location = parseDatastoreUri(uri);
    if (!location) throw notADatastoreUri('Output', name, uri);
    const localDir = localPlace(outputsDir, name, 'The output name');
    await fs.mkdir(localDir, { recursive: true });
    if (spec['jobOutputType'] === 'uri_file') {
      // The file goes to the uri's folder under the uri's file name.
      const segments = location.path.split('/').filter(Boolean);
      values[name] = { path: localPlace(localDir, segments.pop() ?? name, `Output '${name}': the file name`) };
      uploads.push({ name, localDir, destination: { datastore: location.datastore, path: segments.join('/') } });
    } else {
      values[name] = { path: localDir };
      uploads.push({ name, localDir, destination: location });
    }
  }
  return { values, uploads };
}

/** Uploads what the job wrote to its declared outputs. */
export async function uploadOutputs(uploads: readonly OutputUpload[], context: DataContext): Promise<void> {
  for (const upload of uploads) {
    try {
      const storage = await context.datastores.open(context.workspace, upload.destination.datastore);
      const folder = upload.destination.path.replace(/\/+$/, '');
      if (storage.kind === 'blob') await uploadFolderToBlobs(storage.container, upload.localDir, folder, context.signal);
      else await uploadFolderToShare(storage.share, upload.localDir, folder, context.signal);
    } catch (error) {
      if (context.signal.aborted) throw error;
      throw new JobFailure('ServiceError', `Output '${upload.name}' could not be uploaded: ${toAzureMlError(error).message}`);
    }
  }
}
