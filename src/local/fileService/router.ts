import * as directory from './directoryOperations';
import * as file from './fileOperations';
import type { Operation } from './operation';
import { renameDirectory, renameFile } from './renameOperations';
import type { RequestTarget } from './requestTarget';
import { getServiceProperties, listShares } from './serviceOperations';
import * as share from './shareOperations';
import { errors } from './storageError';

type Table = Record<string, Operation | undefined>;

// Keys are `<METHOD> <comp>` ('' when the request has no comp).
const shareOperations: Table = {
  'PUT ': share.createShare,
  'PUT metadata': share.setShareMetadata,
  'PUT properties': share.setShareProperties,
  'GET ': share.getShareProperties,
  'HEAD ': share.getShareProperties,
  'GET metadata': share.getShareProperties,
  'HEAD metadata': share.getShareProperties,
  'GET stats': share.getShareStatistics,
  'DELETE ': share.deleteShare,
};

const directoryOperations: Table = {
  'PUT ': directory.createDirectory,
  'PUT metadata': directory.setDirectoryMetadata,
  'PUT properties': directory.setDirectoryProperties,
  'PUT rename': renameDirectory,
  'GET ': directory.getDirectoryProperties,
  'HEAD ': directory.getDirectoryProperties,
  'GET metadata': directory.getDirectoryProperties,
  'HEAD metadata': directory.getDirectoryProperties,
  'GET list': directory.listFilesAndDirectories,
  'DELETE ': directory.deleteDirectory,
};

const fileOperations: Table = {
  'PUT ': file.createFile,
  'PUT range': file.putRange,
  'PUT properties': file.setFileProperties,
  'PUT metadata': file.setFileMetadata,
  'PUT rename': renameFile,
  'GET ': file.getFile,
  'HEAD ': file.getFileProperties,
  'GET metadata': file.getFileProperties,
  'HEAD metadata': file.getFileProperties,
  'DELETE ': file.deleteFile,
};

/** Picks the Azure Files operation a request asks for, from its method, path and `restype`/`comp`. */
export function resolveOperation(method: string, target: RequestTarget): Operation {
  const restype = target.query.get('restype')?.toLowerCase();
  const comp = target.query.get('comp')?.toLowerCase() ?? '';
  const key = `${method} ${comp}`;
  if (target.query.has('sharesnapshot')) throw errors.notImplemented('share snapshots');
  let table: Table;
  if (target.shareName === undefined) {
    if (method === 'GET' && comp === 'list' && restype === undefined) return listShares;
    if (method === 'GET' && comp === 'properties' && restype === 'service') return getServiceProperties;
    throw errors.notImplemented(`${method} on the account${comp ? ` with comp=${comp}` : ''}`);
  } else if (restype === 'share') {
    if (target.segments.length > 0) throw errors.invalidQueryParameterValue('restype');
    table = shareOperations;
  } else if (restype === 'directory') {
    table = directoryOperations;
  } else if (restype === undefined) {
    if (target.segments.length === 0) throw errors.invalidUri('A share URL needs restype=share or restype=directory.');
    table = fileOperations;
  } else {
    throw errors.invalidQueryParameterValue('restype');
  }
  const found = table[key];
  if (found) return found;
  if (!['GET', 'HEAD', 'PUT', 'DELETE'].includes(method)) throw errors.unsupportedHttpVerb(method);
  throw errors.notImplemented(`${method}${restype ? ` restype=${restype}` : ''}${comp ? ` comp=${comp}` : ''}`);
}
