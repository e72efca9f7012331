import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { newContentId, toFileTime, type FileHttpHeaders, type FileNode } from './model';
import { operation, shareNameOf, type OperationContext } from './operation';
import {
  header, maxFileSize, maxRangeSize, md5Header, metadataResponseHeaders, parseNonNegativeInteger, readBody,
  requestedRange, requestMetadata,
} from './requestHeaders';
import { httpDate } from './responder';
import { entryResponseHeaders, requestSmbProperties } from './smbProperties';
import { errors } from './storageError';

const encrypted = { 'x-ms-request-server-encrypted': 'true' };

function fileOf(context: OperationContext): FileNode {
  return context.store.file(shareNameOf(context), context.target.segments);
}

/** The six content headers Create File and Set File Properties take (`x-ms-content-*`, `x-ms-cache-control`). */
function requestHttpHeaders(headers: IncomingHttpHeaders): FileHttpHeaders {
  const result: FileHttpHeaders = {};
  const copy = (name: string, key: keyof FileHttpHeaders) => {
    const value = header(headers, name);
    if (value !== undefined && value !== '') result[key] = value;
  };
  copy('x-ms-content-type', 'contentType');
  copy('x-ms-content-encoding', 'contentEncoding');
  copy('x-ms-content-language', 'contentLanguage');
  copy('x-ms-cache-control', 'cacheControl');
  copy('x-ms-content-disposition', 'contentDisposition');
  const md5 = md5Header(headers, 'x-ms-content-md5');
  if (md5 !== undefined) result.contentMD5 = md5;
  return result;
}

function contentResponseHeaders(file: FileNode): Record<string, string> {
  const { headers } = file;
  return {
    'Content-Type': headers.contentType ?? 'application/octet-stream',
    ...(headers.contentEncoding !== undefined ? { 'Content-Encoding': headers.contentEncoding } : {}),
    ...(headers.contentLanguage !== undefined ? { 'Content-Language': headers.contentLanguage } : {}),
    ...(headers.cacheControl !== undefined ? { 'Cache-Control': headers.cacheControl } : {}),
    ...(headers.contentDisposition !== undefined ? { 'Content-Disposition': headers.contentDisposition } : {}),
  };
}

function fileResponseHeaders(file: FileNode): Record<string, string> {
  return {
    ...entryResponseHeaders(file),
    ...contentResponseHeaders(file),
    ...metadataResponseHeaders(file.metadata),
    'x-ms-type': 'File',
    'x-ms-server-encrypted': 'true',
    'x-ms-lease-state': 'available',
    'x-ms-lease-status': 'unlocked',
  };
}

function requestBodyLength(context: OperationContext): number | undefined {
  const text = header(context.req.headers, 'content-length');
  return text === undefined ? undefined : parseNonNegativeInteger(text, 'Content-Length');
}

/**
 * Writes the request body (`length` bytes, at most 4 MiB) into existing content at `offset`. With a
 * Content-MD5 the body is checked before anything is written, so a mismatch leaves the content as
 * it was; otherwise it streams to disk. Returns the body's MD5.
 */
/**
 * Put Range's body (at most 4 MiB), whole and with its Content-MD5 checked, before the range
 * takes its lock: a slow sender then holds up no resize of the file.
 */
async function receiveRange(context: OperationContext, length: number): Promise<{ body: Buffer; md5: Buffer }> {
  const body = await readBody(context.req, length);
  if (body.length !== length) throw errors.invalidHeaderValue('Content-Length (the body is shorter)');
  const md5 = createHash('md5').update(body).digest();
  const expectedMd5 = md5Header(context.req.headers, 'content-md5');
  if (expectedMd5 !== undefined && md5.toString('base64') !== expectedMd5) throw errors.md5Mismatch();
  return { body, md5 };
}

/**
 * Writes Create File's body (`length` bytes, any size up to the file's) into the file's new
 * content. It streams to disk, never held in memory, and a Content-MD5 is checked once it is all
 * in: the content is not yet any file's, so the caller removes it when this throws.
 */
async function writeNewContent(context: OperationContext, contentId: string, length: number): Promise<void> {
  const expectedMd5 = md5Header(context.req.headers, 'content-md5');
  const md5 = await context.content.writeStream(contentId, 0, length, context.req);
  if (expectedMd5 !== undefined && md5.toString('base64') !== expectedMd5) throw errors.md5Mismatch();
}

/** Create File: `PUT …/file` with `x-ms-type: file` and `x-ms-content-length`; replaces an existing file. */
export const createFile = operation('CreateFile', 'o', 'cw', async (context) => {
  const { headers } = context.req;
  const sizeText = header(headers, 'x-ms-content-length');
  if (sizeText === undefined) throw errors.missingRequiredHeader('x-ms-content-length');
  const size = parseNonNegativeInteger(sizeText, 'x-ms-content-length', maxFileSize);
  const type = header(headers, 'x-ms-type');
  if (type === undefined) throw errors.missingRequiredHeader('x-ms-type');
  if (type.toLowerCase() !== 'file') throw errors.invalidHeaderValue('x-ms-type');
  const file = {
    size,
    contentId: newContentId(),
    headers: requestHttpHeaders(headers),
    metadata: requestMetadata(context.req.rawHeaders),
    ...requestSmbProperties(headers, 'file'),
  };
  const bodyLength = requestBodyLength(context) ?? 0;
  if (bodyLength > size) throw errors.invalidRange(size);

  // Fail early (before touching the disk) when the parent is missing or a directory has the name.
  const share = shareNameOf(context);
  if (context.store.find(share, context.target.segments)?.kind === 'directory') throw errors.resourceAlreadyExists();

  let replacedContentId: string | undefined;
  let node: FileNode;
  try {
    // Content first, each step synced: once the journal names the file, its content is on disk.
    await context.content.create(file.contentId, size);
    if (bodyLength > 0) await writeNewContent(context, file.contentId, bodyLength);
    ({ node, replacedContentId } = await context.store.putFile(share, context.target.segments, file));
  } catch (error) {
    // Gone before the error is answered (a failed removal is retried by the next start's clean-up).
    await context.content.remove(file.contentId).catch(() => undefined);
    throw error;
  }
  if (replacedContentId !== undefined) {
    const unused = replacedContentId;
    context.inBackground(() => context.content.remove(unused));
  }
  context.respond.send(201, { ...entryResponseHeaders(node), ...encrypted });
});

/**
 * Put Range: writes (`x-ms-write: update`) or zeroes (`clear`) bytes inside the file's current size.
 * Ranges of one file run together, but never alongside a resize of it: the size is checked under
 * that lock, so a range never lands past the end a concurrent shrink set.
 */
export const putRange = operation('PutRange', 'o', 'w', async (context) => {
  const { headers } = context.req;
  const file = fileOf(context);
  const write = header(headers, 'x-ms-write')?.toLowerCase();
  if (write === undefined) throw errors.missingRequiredHeader('x-ms-write');
  if (write !== 'update' && write !== 'clear') throw errors.invalidHeaderValue('x-ms-write');
  const range = requestedRange(headers);
  if (!range || range.end === undefined) throw errors.missingRequiredHeader('x-ms-range');
  const end = range.end;
  const length = end - range.start + 1;
  const bodyLength = requestBodyLength(context);
  if (write === 'update') {
    if (bodyLength === undefined) throw errors.missingContentLength();
    if (bodyLength > maxRangeSize) throw errors.requestBodyTooLarge();
    if (bodyLength !== length) throw errors.invalidHeaderValue('Content-Length (must equal the range length)');
  } else if (bodyLength !== undefined && bodyLength !== 0) {
    throw errors.invalidHeaderValue('Content-Length (must be 0 to clear)');
  }
  const preserveWriteTime = header(headers, 'x-ms-file-last-write-time')?.toLowerCase() === 'preserve';
  if (end >= file.size) throw errors.invalidRange(file.size);
  const received = write === 'update' ? await receiveRange(context, length) : undefined;

  const node = await context.content.locks.forRange(file.contentId, async () => {
    // Checked again under the lock: the file may have been deleted, replaced or shrunk meanwhile.
    if (!context.store.isCurrent(file)) throw errors.resourceNotFound();
    if (end >= file.size) throw errors.invalidRange(file.size);
    if (received) await context.content.writeBuffer(file.contentId, range.start, received.body);
    else await context.content.clear(file.contentId, range.start, length);
    return context.store.updateEntry(file, (target) => {
      const now = toFileTime(new Date());
      if (!preserveWriteTime) target.lastWriteTime = now;
      target.changeTime = now;
    });
  });
  const md5 = received?.md5;
  context.respond.send(201, {
    ETag: node.etag,
    'Last-Modified': httpDate(node.lastModified),
    'x-ms-file-last-write-time': node.lastWriteTime,
    ...(md5 ? { 'Content-MD5': md5.toString('base64') } : {}),
    ...encrypted,
  });
});

/**
 * Set File Properties: content headers (absent ones are cleared), SMB properties and resize via
 * `x-ms-content-length`. A resize waits for the file's ranges under way and holds back new ones
 * until the new size is recorded.
 */
export const setFileProperties = operation('SetFileProperties', 'o', 'w', async (context) => {
  const { headers } = context.req;
  const file = fileOf(context);
  const sizeText = header(headers, 'x-ms-content-length');
  const size = sizeText === undefined ? undefined : parseNonNegativeInteger(sizeText, 'x-ms-content-length', maxFileSize);
  const httpHeaders = requestHttpHeaders(headers);
  requestSmbProperties(headers, 'file', file); // a bad header is refused before waiting for the lock
  const setProperties = async (): Promise<FileNode> => {
    // Under the lock: a file deleted or replaced meanwhile is not found, and `preserve` keeps what another request set meanwhile.
    if (!context.store.isCurrent(file)) throw errors.resourceNotFound();
    const smb = requestSmbProperties(headers, 'file', file);
    if (size !== undefined && size !== file.size) await context.content.resize(file.contentId, size);
    return context.store.updateEntry(file, (target) => {
      target.headers = httpHeaders;
      Object.assign(target, smb);
      if (size !== undefined) target.size = size;
    });
  };
  const node = size === undefined ? await setProperties() : await context.content.locks.forResize(file.contentId, setProperties);
  context.respond.send(200, { ...entryResponseHeaders(node), ...encrypted });
});

export const setFileMetadata = operation('SetFileMetadata', 'o', 'w', async (context) => {
  const metadata = requestMetadata(context.req.rawHeaders);
  const node = await context.store.updateEntry(fileOf(context), (target) => {
    target.metadata = metadata;
  });
  context.respond.send(200, { ETag: node.etag, 'Last-Modified': httpDate(node.lastModified), ...encrypted });
});

export const getFileProperties = operation('GetFileProperties', 'o', 'r', async (context) => {
  const file = fileOf(context);
  context.respond.send(200, {
    ...fileResponseHeaders(file),
    'Content-Length': file.size,
    ...(file.headers.contentMD5 !== undefined ? { 'Content-MD5': file.headers.contentMD5 } : {}),
  });
});

/** Get File: the whole file (200) or a range (206), streamed from disk. */
export const getFile = operation('GetFile', 'o', 'r', async (context) => {
  const file = fileOf(context);
  const range = requestedRange(context.req.headers);
  const storedMd5 = file.headers.contentMD5;
  const headers: Record<string, string | number> = { ...fileResponseHeaders(file), 'Accept-Ranges': 'bytes' };

  if (!range) {
    if (storedMd5 !== undefined) headers['Content-MD5'] = storedMd5;
    headers['Content-Length'] = file.size;
    if (file.size === 0) {
      context.respond.send(200, headers);
      return;
    }
    await context.respond.stream(200, headers, await context.content.openRead(file.contentId, 0, file.size - 1));
    return;
  }

  if (range.start >= file.size) throw errors.invalidRange(file.size);
  const end = Math.min(range.end ?? file.size - 1, file.size - 1);
  const length = end - range.start + 1;
  headers['Content-Range'] = `bytes ${range.start}-${end}/${file.size}`;
  headers['Content-Length'] = length;
  if (storedMd5 !== undefined) headers['x-ms-content-md5'] = storedMd5;
  if (header(context.req.headers, 'x-ms-range-get-content-md5')?.toLowerCase() === 'true') {
    if (length > maxRangeSize) throw errors.invalidHeaderValue('x-ms-range-get-content-md5 (the range is over 4 MiB)');
    const bytes = await context.content.readBuffer(file.contentId, range.start, length);
    headers['Content-MD5'] = createHash('md5').update(bytes).digest('base64');
    context.respond.send(206, headers, bytes);
    return;
  }
  await context.respond.stream(206, headers, await context.content.openRead(file.contentId, range.start, end));
});

export const deleteFile = operation('DeleteFile', 'o', 'd', async (context) => {
  const contentId = await context.store.deleteFile(shareNameOf(context), context.target.segments);
  context.inBackground(() => context.content.remove(contentId));
  context.respond.send(202);
});
