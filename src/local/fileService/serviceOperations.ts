import { parseInclude, parseMaxResults } from './listParameters';
import { operation } from './operation';
import { httpDate } from './responder';
import { element, escapeXml, metadataElement, xmlDeclaration } from './xml';

/** List Shares: `GET /<account>?comp=list`. Share names are the markers, as in Azure Files. */
export const listShares = operation('ListShares', 's', 'l', async (context) => {
  const { query } = context.target;
  const prefix = query.get('prefix') ?? '';
  const marker = query.get('marker') ?? '';
  const maxResults = parseMaxResults(query.get('maxresults'));
  const withMetadata = parseInclude(query.get('include')).has('metadata');
  const page = context.store.listShares(prefix, marker, maxResults);

  const shares = page.items.map(({ record }) => [
    '<Share>',
    element('Name', record.name),
    '<Properties>',
    element('Last-Modified', httpDate(record.lastModified)),
    element('Etag', record.etag),
    element('Quota', record.quotaGiB),
    '</Properties>',
    withMetadata ? metadataElement(record.metadata) : '',
    '</Share>',
  ].join(''));
  const xml = [
    xmlDeclaration,
    `<EnumerationResults ServiceEndpoint="${escapeXml(context.serviceEndpoint)}">`,
    query.has('prefix') ? element('Prefix', prefix) : '',
    query.has('marker') ? element('Marker', marker) : '',
    query.has('maxresults') ? element('MaxResults', maxResults) : '',
    `<Shares>${shares.join('')}</Shares>`,
    page.next === undefined ? '<NextMarker />' : element('NextMarker', page.next),
    '</EnumerationResults>',
  ].join('');
  context.respond.xml(200, {}, xml);
});

const metricsOff = '<Version>1.0</Version><Enabled>false</Enabled><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy>';

/** Get File Service Properties: fixed defaults (no metrics, no CORS rules), so "test the connection" calls work. */
export const getServiceProperties = operation('GetFileServiceProperties', 's', 'r', async (context) => {
  const xml = `${xmlDeclaration}<StorageServiceProperties><HourMetrics>${metricsOff}</HourMetrics>`
    + `<MinuteMetrics>${metricsOff}</MinuteMetrics><Cors /></StorageServiceProperties>`;
  context.respond.xml(200, {}, xml);
});
