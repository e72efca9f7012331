import { decodeMarker, encodeMarker, parseInclude, parseMaxResults } from './listParameters';
import type { TreeNode } from './model';
import { operation, shareNameOf, type OperationContext } from './operation';
import { header, metadataResponseHeaders, requestMetadata } from './requestHeaders';
import { httpDate } from './responder';
import { defaultPermissionKey, entryResponseHeaders, requestSmbProperties } from './smbProperties';
import { element, escapeXml, nameElement, xmlDeclaration } from './xml';

const encrypted = { 'x-ms-request-server-encrypted': 'true' };

function directoryOf(context: OperationContext) {
  return context.store.directory(shareNameOf(context), context.target.segments);
}

export const createDirectory = operation('CreateDirectory', 'o', 'cw', async (context) => {
  const smb = requestSmbProperties(context.req.headers, 'directory');
  const node = await context.store.createDirectory(
    shareNameOf(context), context.target.segments, smb, requestMetadata(context.req.rawHeaders),
  );
  context.respond.send(201, { ...entryResponseHeaders(node), ...encrypted });
});

export const deleteDirectory = operation('DeleteDirectory', 'o', 'd', async (context) => {
  await context.store.deleteDirectory(shareNameOf(context), context.target.segments);
  context.respond.send(202);
});

export const getDirectoryProperties = operation('GetDirectoryProperties', 'o', 'r', async (context) => {
  const node = directoryOf(context);
  context.respond.send(200, {
    ...entryResponseHeaders(node), ...metadataResponseHeaders(node.metadata), 'x-ms-server-encrypted': 'true',
  });
});

export const setDirectoryMetadata = operation('SetDirectoryMetadata', 'o', 'w', async (context) => {
  const metadata = requestMetadata(context.req.rawHeaders);
  const node = await context.store.updateEntry(directoryOf(context), (directory) => {
    directory.metadata = metadata;
  });
  context.respond.send(200, { ETag: node.etag, 'Last-Modified': httpDate(node.lastModified), ...encrypted });
});

export const setDirectoryProperties = operation('SetDirectoryProperties', 'o', 'w', async (context) => {
  const directory = directoryOf(context);
  const smb = requestSmbProperties(context.req.headers, 'directory', directory);
  const node = await context.store.updateEntry(directory, (target) => Object.assign(target, smb));
  context.respond.send(200, { ...entryResponseHeaders(node), ...encrypted });
});

function entryXml(node: TreeNode, include: Set<string>, extendedInfo: boolean): string {
  const tag = node.kind === 'file' ? 'File' : 'Directory';
  const properties = [
    node.kind === 'file' ? element('Content-Length', node.size) : '',
    include.has('timestamps')
      ? element('CreationTime', node.creationTime) + element('LastAccessTime', node.lastWriteTime)
        + element('LastWriteTime', node.lastWriteTime) + element('ChangeTime', node.changeTime)
        + element('Last-Modified', httpDate(node.lastModified))
      : '',
    include.has('etag') ? element('Etag', node.etag) : '',
  ].join('');
  return [
    `<${tag}>`,
    nameElement('Name', node.name),
    extendedInfo ? element('FileId', node.id) : '',
    properties === '' ? '<Properties />' : `<Properties>${properties}</Properties>`,
    include.has('attributes') ? element('Attributes', node.attributes) : '',
    include.has('permissionkey') ? element('PermissionKey', defaultPermissionKey) : '',
    `</${tag}>`,
  ].join('');
}

/** List Directories and Files: one page, in name order (case-insensitive), with an opaque marker. */
export const listFilesAndDirectories = operation('ListFilesAndDirectories', 'c', 'l', async (context) => {
  const { query } = context.target;
  const directory = directoryOf(context);
  const prefix = query.get('prefix') ?? '';
  const maxResults = parseMaxResults(query.get('maxresults'));
  const include = parseInclude(query.get('include'));
  const extendedInfo = header(context.req.headers, 'x-ms-file-extended-info')?.toLowerCase() === 'true';
  const page = context.store.listDirectory(directory, prefix, decodeMarker(query.get('marker')), maxResults);

  const attributes = [
    `ServiceEndpoint="${escapeXml(context.serviceEndpoint)}"`,
    `ShareName="${escapeXml(shareNameOf(context))}"`,
    `DirectoryPath="${escapeXml(context.store.pathOf(directory))}"`,
  ].join(' ');
  const xml = [
    xmlDeclaration,
    `<EnumerationResults ${attributes}>`,
    query.has('prefix') ? nameElement('Prefix', prefix) : '',
    query.has('marker') ? element('Marker', query.get('marker')) : '',
    query.has('maxresults') ? element('MaxResults', maxResults) : '',
    extendedInfo ? element('DirectoryId', directory.id) : '',
    `<Entries>${page.items.map((node) => entryXml(node, include, extendedInfo)).join('')}</Entries>`,
    page.next === undefined ? '<NextMarker />' : element('NextMarker', encodeMarker(page.next)),
    '</EnumerationResults>',
  ].join('');
  context.respond.xml(200, {}, xml);
});
