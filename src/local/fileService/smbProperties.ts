import type { IncomingHttpHeaders } from 'node:http';
import { toFileTime, type SmbProperties, type TreeNode } from './model';
import { header } from './requestHeaders';
import { httpDate } from './responder';
import { errors } from './storageError';

/** A fixed permission key: the service keeps no security descriptors. */
export const defaultPermissionKey = '4066528134148476695*1';

const fileTimePattern = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?Z$/;

function parseTime(headers: IncomingHttpHeaders, name: string, current: string | undefined, now: string): string {
  const text = header(headers, name);
  if (text === undefined || text === '') return current ?? now;
  if (text.toLowerCase() === 'now') return now;
  if (text.toLowerCase() === 'preserve') return current ?? now;
  const match = fileTimePattern.exec(text);
  if (!match || Number.isNaN(Date.parse(`${match[1]}Z`))) throw errors.invalidHeaderValue(name);
  return `${match[1]}.${(match[2] ?? '').padEnd(7, '0')}Z`;
}

function parseAttributes(text: string | undefined, kind: TreeNode['kind'], current: string | undefined): string {
  if (text === undefined || text === '' || text.toLowerCase() === 'preserve') return current ?? (kind === 'file' ? 'Archive' : 'Directory');
  const parts = text.split('|').map((part) => part.trim()).filter((part) => part !== '' && part.toLowerCase() !== 'none');
  if (kind === 'directory' && !parts.some((part) => part.toLowerCase() === 'directory')) parts.unshift('Directory');
  if (parts.length === 0) return 'Archive';
  return parts.join(' | ');
}

/**
 * SMB properties from `x-ms-file-attributes` and `x-ms-file-*-time` headers; absent or
 * `preserve` keeps `current` (or defaults to now), `now` is now.
 */
export function requestSmbProperties(
  headers: IncomingHttpHeaders, kind: TreeNode['kind'], current?: SmbProperties, now = toFileTime(new Date()),
): SmbProperties {
  return {
    attributes: parseAttributes(header(headers, 'x-ms-file-attributes'), kind, current?.attributes),
    creationTime: parseTime(headers, 'x-ms-file-creation-time', current?.creationTime, now),
    lastWriteTime: parseTime(headers, 'x-ms-file-last-write-time', current?.lastWriteTime, now),
    changeTime: parseTime(headers, 'x-ms-file-change-time', current?.changeTime, now),
  };
}

/** The headers Azure Files sends about a file or directory's identity and SMB properties. */
export function entryResponseHeaders(node: TreeNode): Record<string, string> {
  return {
    ETag: node.etag,
    'Last-Modified': httpDate(node.lastModified),
    'x-ms-file-attributes': node.attributes,
    'x-ms-file-creation-time': node.creationTime,
    'x-ms-file-last-write-time': node.lastWriteTime,
    'x-ms-file-change-time': node.changeTime,
    'x-ms-file-permission-key': defaultPermissionKey,
    'x-ms-file-id': node.id,
    'x-ms-file-parent-id': node.parentId === '' ? '0' : node.parentId,
  };
}
