import { badRequest } from './http/apiError';
import { queryValue, type RequestContext } from './http/requestContext';

export interface Page<T> {
  value: T[];
  nextLink?: string;
}

/** `$skip` tokens are opaque to clients; inside they are just an offset. */
export function encodeSkipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

export function decodeSkipToken(token: string | undefined, parameter = '$skip'): number {
  if (token === undefined || token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through
  }
  throw badRequest(`The continuation token in '${parameter}' is not valid; use the nextLink of the previous page as is.`, parameter);
}

/**
 * Cuts one page out of `items` (already filtered and sorted). The nextLink repeats the request
 * with every original query parameter and a new `$skip` token, so clients can GET it verbatim.
 */
export function pageOf<T, R>(
  ctx: Pick<RequestContext, 'query' | 'rawQuery' | 'rawPath' | 'baseUrl'>,
  items: readonly T[],
  pageSize: number,
  render: (item: T) => R,
): Page<R> {
  const offset = decodeSkipToken(queryValue(ctx, '$skip'));
  const end = offset + pageSize;
  const page: Page<R> = { value: items.slice(offset, end).map(render) };
  if (end < items.length) page.nextLink = linkWithSkip(ctx, encodeSkipToken(end));
  return page;
}

function linkWithSkip(ctx: Pick<RequestContext, 'rawQuery' | 'rawPath' | 'baseUrl'>, token: string): string {
  const kept = ctx.rawQuery
    .split('&')
    .filter((pair) => pair !== '' && safeDecode(pair.split('=')[0]!).toLowerCase() !== '$skip');
  kept.push(`$skip=${encodeURIComponent(token)}`);
  return `${ctx.baseUrl}${ctx.rawPath}?${kept.join('&')}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
