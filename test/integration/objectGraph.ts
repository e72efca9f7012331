/**
 * Where in an object graph a string containing `needle` is kept: the property path of the first
 * one found, or undefined. Follows own properties, array items, Map and Set entries (not
 * functions); `skip` names properties not to follow (e.g. VS Code's own objects).
 */
export function pathToString(root: unknown, needle: string, skip: ReadonlySet<string> = new Set()): string | undefined {
  const seen = new Set<object>();
  const visit = (value: unknown, where: string): string | undefined => {
    if (typeof value === 'string') return value.includes(needle) ? where : undefined;
    if (typeof value !== 'object' || value === null || seen.has(value)) return undefined;
    seen.add(value);
    const entries: Array<[string, unknown]> = value instanceof Map
      ? [...value.entries()].flatMap(([k, v], i): Array<[string, unknown]> => [[`<key ${i}>`, k], [String(k), v]])
      : value instanceof Set
        ? [...value].map((v, i): [string, unknown] => [String(i), v])
        : Object.getOwnPropertyNames(value).filter((k) => !skip.has(k)).map((k): [string, unknown] => [k, (value as Record<string, unknown>)[k]]);
    for (const [key, child] of entries) {
      const found = visit(child, `${where}.${key}`);
      if (found) return found;
    }
    return undefined;
  };
  return visit(root, '');
}
