import { badRequest } from '../http/apiError';
import { queryValue, type RequestContext } from '../http/requestContext';
import type { JsonObject } from '../validation';

export type ListViewType = 'ActiveOnly' | 'ArchivedOnly' | 'All';

/** `listViewType` (default ActiveOnly, what azure-ai-ml and the studio ask for). */
export function listViewTypeOf(ctx: Pick<RequestContext, 'query'>): ListViewType {
  const value = queryValue(ctx, 'listViewType');
  if (value === undefined || value === '') return 'ActiveOnly';
  const found = (['ActiveOnly', 'ArchivedOnly', 'All'] as const).find((v) => v.toLowerCase() === value.toLowerCase());
  if (!found) throw badRequest(`Query parameter 'listViewType' must be ActiveOnly, ArchivedOnly or All.`, 'listViewType');
  return found;
}

export function matchesViewType(properties: JsonObject, view: ListViewType): boolean {
  const archived = properties['isArchived'] === true;
  return view === 'All' || (view === 'ArchivedOnly' ? archived : !archived);
}

/**
 * `tags` / `properties` filters: comma-separated `key` (present) or `key=value` (equal) terms,
 * all of which must hold.
 */
export function matchesBagFilter(bag: unknown, filter: string | undefined): boolean {
  if (!filter) return true;
  const values = typeof bag === 'object' && bag !== null ? (bag as Record<string, unknown>) : {};
  return filter.split(',').map((t) => t.trim()).filter(Boolean).every((term) => {
    const eq = term.indexOf('=');
    if (eq < 0) return term in values;
    return values[term.slice(0, eq)] === term.slice(eq + 1);
  });
}

/** Compares versions numerically when both are integers, else as text. */
export function compareVersions(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return Number(a) - Number(b);
  return a.localeCompare(b, undefined, { numeric: true });
}
