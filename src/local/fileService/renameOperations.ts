import type { TreeNode } from './model';
import { operation, shareNameOf, type Operation, type OperationContext } from './operation';
import { hasMetadataHeaders, header, requestMetadata } from './requestHeaders';
import { parseRequestTarget } from './requestTarget';
import { entryResponseHeaders } from './smbProperties';
import { errors } from './storageError';

/** The entry `x-ms-file-rename-source` names: a URL (or path) in the same account and share. */
function renameSource(context: OperationContext, kind: TreeNode['kind']): TreeNode {
  const text = header(context.req.headers, 'x-ms-file-rename-source');
  if (text === undefined || text === '') throw errors.missingRequiredHeader('x-ms-file-rename-source');
  let sourcePath: string;
  try {
    sourcePath = new URL(text, 'http://localhost').pathname;
  } catch {
    throw errors.invalidHeaderValue('x-ms-file-rename-source');
  }
  const source = parseRequestTarget(sourcePath, context.target.accountName);
  if (source.accountName !== context.target.accountName || source.shareName !== shareNameOf(context)) {
    throw errors.invalidInput('The rename source must be in the same share.');
  }
  const node = context.store.find(shareNameOf(context), source.segments);
  if (!node || source.segments.length === 0) throw errors.resourceNotFound();
  if (node.kind !== kind) throw errors.resourceTypeMismatch();
  return node;
}

function renameOperation(name: string, kind: TreeNode['kind']): Operation {
  return operation(name, 'o', 'w', async (context) => {
    const source = renameSource(context, kind);
    const replaceIfExists = header(context.req.headers, 'x-ms-file-rename-replace-if-exists')?.toLowerCase() === 'true';
    const metadata = hasMetadataHeaders(context.req.rawHeaders) ? requestMetadata(context.req.rawHeaders) : undefined;
    const contentType = header(context.req.headers, 'x-ms-content-type');
    const { node, replacedContentId } = await context.store.rename(
      shareNameOf(context), source, context.target.segments, replaceIfExists,
    );
    if (metadata !== undefined || (contentType !== undefined && node.kind === 'file')) {
      await context.store.updateEntry(node, (target) => {
        if (metadata !== undefined) target.metadata = metadata;
        if (contentType !== undefined && target.kind === 'file') target.headers.contentType = contentType;
      });
    }
    if (replacedContentId !== undefined) context.inBackground(() => context.content.remove(replacedContentId));
    context.respond.send(200, { ...entryResponseHeaders(node), 'x-ms-request-server-encrypted': 'true' });
  });
}

export const renameFile = renameOperation('RenameFile', 'file');
export const renameDirectory = renameOperation('RenameDirectory', 'directory');
