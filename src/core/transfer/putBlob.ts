import * as l10n from '@vscode/l10n';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import type { ContainerClient } from '@azure/storage-blob';
import { blobApiVersion, blobUrlIn, pipelineOf, unexpectedResponse } from './containerPipeline';

export interface PutBlobOptions {
  /** MD5 of `data`: checked by the service on arrival and kept as the blob's Content-MD5. */
  md5: Buffer;
  /** Only when no blob of that name exists (If-None-Match: *); else 409 BlobAlreadyExists. */
  onlyIfAbsent: boolean;
  signal: AbortSignal;
}

/**
 * One Put Blob of a whole small file. For thousands of small files the SDK's per-call layers
 * (a new BlockBlobClient per name, the generic serializer and deserializer) cost more client
 * time than the request itself; this sends the same request through the container's pipeline
 * (same credentials, retries and logging). Falls back to the SDK's upload when it cannot.
 * Failures are RestErrors with the service's status and error code, as the SDK's are.
 */
export async function putBlob(container: ContainerClient, blobName: string, data: Buffer, options: PutBlobOptions): Promise<void> {
  const conditions = options.onlyIfAbsent ? { conditions: { ifNoneMatch: '*' } } : {};
  const pipeline = pipelineOf(container);
  if (!pipeline) {
    await container.getBlockBlobClient(blobName).upload(data, data.length, {
      blobHTTPHeaders: { blobContentMD5: options.md5 }, ...conditions, abortSignal: options.signal,
    });
    return;
  }
  const md5 = options.md5.toString('base64');
  const url = blobUrlIn(container, blobName);
  const request = createPipelineRequest({
    url,
    method: 'PUT',
    headers: createHttpHeaders({
      'x-ms-version': blobApiVersion,
      'x-ms-blob-type': 'BlockBlob',
      'content-length': String(data.length),
      'content-md5': md5,
      'x-ms-blob-content-md5': md5,
      ...(options.onlyIfAbsent ? { 'if-none-match': '*' } : {}),
    }),
    body: data,
    abortSignal: options.signal,
    allowInsecureConnection: url.startsWith('http:'),
  });
  const response = await pipeline.sendRequest(request);
  if (response.status !== 201) throw unexpectedResponse(l10n.t('Put Blob {0}', blobName), request, response);
}
