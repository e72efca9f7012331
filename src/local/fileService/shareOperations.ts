import type { ShareRecord } from './model';
import { operation, shareNameOf } from './operation';
import { header, metadataResponseHeaders, parseNonNegativeInteger, requestMetadata } from './requestHeaders';
import { httpDate } from './responder';
import { xmlDeclaration } from './xml';

/** Quota of a new share when none is asked for (GiB), as for a standard storage account. */
const defaultQuotaGiB = 102400;

function quotaFrom(headers: Parameters<typeof header>[0]): number | undefined {
  const text = header(headers, 'x-ms-share-quota');
  return text === undefined ? undefined : parseNonNegativeInteger(text, 'x-ms-share-quota', defaultQuotaGiB);
}

function shareHeaders(record: ShareRecord): Record<string, string> {
  return { ETag: record.etag, 'Last-Modified': httpDate(record.lastModified) };
}

export const createShare = operation('CreateShare', 'c', 'cw', async (context) => {
  const quota = quotaFrom(context.req.headers) || defaultQuotaGiB;
  const record = await context.store.createShare(shareNameOf(context), quota, requestMetadata(context.req.rawHeaders));
  context.respond.send(201, shareHeaders(record));
});

export const deleteShare = operation('DeleteShare', 'c', 'd', async (context) => {
  const contentIds = await context.store.deleteShare(shareNameOf(context));
  context.inBackground(async () => {
    for (const contentId of contentIds) await context.content.remove(contentId);
  });
  context.respond.send(202);
});

export const getShareProperties = operation('GetShareProperties', 'c', 'r', async (context) => {
  const { record } = context.store.share(shareNameOf(context));
  context.respond.send(200, {
    ...shareHeaders(record),
    ...metadataResponseHeaders(record.metadata),
    'x-ms-share-quota': String(record.quotaGiB),
    'x-ms-access-tier': 'TransactionOptimized',
    'x-ms-enabled-protocols': 'SMB',
  });
});

export const setShareMetadata = operation('SetShareMetadata', 'c', 'w', async (context) => {
  const metadata = requestMetadata(context.req.rawHeaders);
  const record = await context.store.updateShare(shareNameOf(context), (share) => {
    share.metadata = metadata;
  });
  context.respond.send(200, shareHeaders(record));
});

export const setShareProperties = operation('SetShareProperties', 'c', 'w', async (context) => {
  const quota = quotaFrom(context.req.headers);
  const record = await context.store.updateShare(shareNameOf(context), (share) => {
    if (quota) share.quotaGiB = quota;
  });
  context.respond.send(200, { ...shareHeaders(record), 'x-ms-share-quota': String(record.quotaGiB) });
});

export const getShareStatistics = operation('GetShareStats', 'c', 'r', async (context) => {
  const usage = context.store.usageBytes(shareNameOf(context));
  const { record } = context.store.share(shareNameOf(context));
  const xml = `${xmlDeclaration}<ShareStats><ShareUsageBytes>${usage}</ShareUsageBytes></ShareStats>`;
  context.respond.xml(200, shareHeaders(record), xml);
});
