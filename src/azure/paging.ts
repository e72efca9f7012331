import { getContinuationToken } from '@azure/arm-machinelearning';
import type { Page } from './domain';
import { repeatedPageError } from './errors';
import { callService } from './serviceCall';

/** The part of the SDK's paged iterators we use. */
export interface SdkPagedList<T> {
  byPage(settings?: { continuationToken?: string }): AsyncIterableIterator<T[]>;
}

/** Reads one page of an SDK list: the first one, or the one `continuationToken` (a nextLink) names. */
export async function readSdkPage<T, U>(
  list: SdkPagedList<T>,
  continuationToken: string | undefined,
  map: (item: T) => U,
): Promise<Page<U>> {
  return callService(async () => {
    const pages = list.byPage(continuationToken ? { continuationToken } : undefined);
    const result = await pages.next();
    await pages.return?.();
    const items = result.done ? [] : result.value;
    const next = result.done ? undefined : getContinuationToken(items);
    return pageOf(items.map(map), next);
  });
}

export function pageOf<T>(items: T[], continuationToken: string | null | undefined): Page<T> {
  return continuationToken ? { items, continuationToken } : { items };
}

/** Every item of a paged list, fetched one page at a time as the caller iterates. */
export async function* allItems<T>(fetchPage: (continuationToken?: string) => Promise<Page<T>>): AsyncGenerator<T> {
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    yield* page.items;
    token = page.continuationToken;
    if (token !== undefined) {
      if (seen.has(token)) throw repeatedPageError();
      seen.add(token);
    }
  } while (token !== undefined);
}

/** The first item that matches, reading pages only until it is found. */
export async function findItem<T>(
  fetchPage: (continuationToken?: string) => Promise<Page<T>>,
  predicate: (item: T) => boolean,
): Promise<T | undefined> {
  for await (const item of allItems(fetchPage)) {
    if (predicate(item)) return item;
  }
  return undefined;
}
