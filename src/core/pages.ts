import type { Page } from '../azure/domain';
import { repeatedPageError } from '../azure/errors';

/**
 * Follows continuation tokens until `limit` items are collected or the list ends. A token
 * handed out twice would loop forever: that answer is refused.
 */
export async function collectPages<T>(
  fetchPage: (continuationToken: string | undefined) => Promise<Page<T>>,
  limit = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...page.items);
    token = page.continuationToken;
    if (token !== undefined) {
      if (seen.has(token)) throw repeatedPageError();
      seen.add(token);
    }
  } while (token && items.length < limit);
  return items.slice(0, limit);
}
