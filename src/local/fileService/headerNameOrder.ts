/**
 * Orders `x-ms-*` header names the way Azure Storage does when it builds the canonicalized
 * headers of a Shared Key string-to-sign. The service sorts with Windows' culture-aware string
 * order, not code-unit order: hyphens and apostrophes are ignored at first, punctuation sorts
 * before digits and digits before letters; only when two names are otherwise equal does the
 * placement of hyphens/apostrophes decide. The Azure SDKs implement the same order, so a plain
 * `sort()` would reject their signatures for names such as `x-ms-meta-a_b` next to `x-ms-meta-a1`.
 */

const primaryOrder = "!#$%&*.^_`|~+0123456789abcdefghijklmnopqrstuvwxyz";
const ignoredAtFirst = new Set(['-', "'"]);

function primaryWeight(ch: string): number {
  const index = primaryOrder.indexOf(ch.toLowerCase());
  // Characters outside HTTP's token set never reach here; keep any others after the known ones.
  return index >= 0 ? index : primaryOrder.length + ch.charCodeAt(0);
}

function comparePrimary(a: string, b: string): number {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && ignoredAtFirst.has(a[i]!)) i++;
    while (j < b.length && ignoredAtFirst.has(b[j]!)) j++;
    const aDone = i >= a.length;
    const bDone = j >= b.length;
    if (aDone || bDone) return aDone === bDone ? 0 : aDone ? -1 : 1;
    const difference = primaryWeight(a[i]!) - primaryWeight(b[j]!);
    if (difference !== 0) return difference;
    i++;
    j++;
  }
}

/** At the first position where the two names differ in kind: end < other character < apostrophe < hyphen. */
function placementRank(name: string, index: number): number {
  if (index >= name.length) return 0;
  const ch = name[index];
  if (ch === "'") return 2;
  if (ch === '-') return 3;
  return 1;
}

function comparePlacement(a: string, b: string): number {
  for (let index = 0; ; index++) {
    const rankA = placementRank(a, index);
    const rankB = placementRank(b, index);
    if (rankA !== rankB) return rankA - rankB;
    if (rankA === 0) return 0;
  }
}

/** Compares two lower-cased header names in Azure Storage's canonicalization order. */
export function compareHeaderNames(a: string, b: string): number {
  return comparePrimary(a, b) || comparePlacement(a, b);
}
