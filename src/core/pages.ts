import * as l10n from '@vscode/l10n';
import type { Page } from '../azure/domain';
import { AzureMlError } from '../azure/errors';

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
      if (seen.has(token)) {
        throw new AzureMlError(l10n.t('The service answered with the same page twice (its nextLink repeats), so the list cannot be read to its end: try again; if it keeps happening, a proxy or the network in between may be answering instead of Azure.'),
          undefined, 'InvalidResponse');
      }
      seen.add(token);
    }
  } while (token && items.length < limit);
  return items.slice(0, limit);
}
