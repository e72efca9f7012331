import type { Page } from '../azure/domain';

/** Follows continuation tokens until `limit` items are collected or the list ends. */
export async function collectPages<T>(
  fetchPage: (continuationToken: string | undefined) => Promise<Page<T>>,
  limit = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...page.items);
    token = page.continuationToken;
  } while (token && items.length < limit);
  return items.slice(0, limit);
}
