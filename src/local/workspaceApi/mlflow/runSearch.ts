import type { JsonObject } from '../validation';
import { invalid } from './mlflowInput';

/**
 * The part of MLflow's search syntax Azure ML supports: comparisons joined by AND (no OR),
 * on attributes, tags, params and metrics; ordering by attributes only.
 */
export interface Clause {
  entity: 'attributes' | 'tags' | 'params' | 'metrics';
  key: string;
  op: '=' | '!=' | '<' | '<=' | '>' | '>=';
  value: string | number;
}

const searchableAttributes = ['status', 'run_name', 'run_id', 'start_time', 'end_time', 'user_id'];
const clausePattern =
  /^\s*(?:(attributes?|attr|run|tags?|params?|parameters?|metrics?)\.)?(`[^`]+`|"[^"]+"|[\w.\-/]+)\s*(=|!=|<=|>=|<|>)\s*('[^']*'|"[^"]*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*$/;

function entityOf(prefix: string | undefined): Clause['entity'] {
  if (!prefix || /^(attributes?|attr|run)$/.test(prefix)) return 'attributes';
  if (prefix.startsWith('tag')) return 'tags';
  if (prefix.startsWith('param')) return 'params';
  return 'metrics';
}

/** Splits on AND outside quotes. */
function splitAnd(filter: string): string[] {
  const parts: string[] = [];
  let quote = '';
  let start = 0;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
    } else if (/\s/.test(c) && /^\s+and\s/i.test(filter.slice(i))) {
      parts.push(filter.slice(start, i));
      i += (/^\s+and\s/i.exec(filter.slice(i))![0].length) - 1;
      start = i + 1;
    }
  }
  parts.push(filter.slice(start));
  return parts;
}

export function parseFilter(filter: string): Clause[] {
  if (filter.trim() === '') return [];
  return splitAnd(filter).map((text) => {
    if (/\sor\s/i.test(text)) throw invalid("OR is not supported in a run search filter: search once per alternative.");
    const m = clausePattern.exec(text);
    if (!m) throw invalid(`Invalid clause in the run search filter: '${text.trim()}'. Use <entity>.<key> <op> <value>, e.g. attributes.status = 'FINISHED' or metrics.loss < 0.5.`);
    const entity = entityOf(m[1]);
    const key = m[2]!.replace(/^[`"]|[`"]$/g, '');
    const op = m[3] as Clause['op'];
    const rawValue = m[4]!;
    const quoted = /^['"]/.test(rawValue);
    if (entity === 'attributes' && !searchableAttributes.includes(key)) throw invalid(`The attribute '${key}' cannot be searched; use one of ${searchableAttributes.join(', ')}.`);
    if (entity === 'metrics' && quoted) throw invalid(`A metric is compared with a number: metrics.${key} ${op} ${rawValue}.`);
    if (entity === 'tags' && op === '!=') throw invalid('!= is not supported on tags.');
    if ((entity === 'tags' || entity === 'params' || (entity === 'attributes' && !key.endsWith('_time'))) && !['=', '!='].includes(op)) {
      throw invalid(`Only = and != compare ${entity === 'attributes' ? `the attribute ${key}` : entity}.`);
    }
    return { entity, key, op, value: quoted ? rawValue.slice(1, -1) : Number(rawValue) };
  });
}

function compare(actual: string | number | undefined, op: Clause['op'], expected: string | number): boolean {
  if (actual === undefined) return false;
  const a = typeof expected === 'number' ? Number(actual) : String(actual);
  switch (op) {
    case '=': return a === expected;
    case '!=': return a !== expected;
    case '<': return a < expected;
    case '<=': return a <= expected;
    case '>': return a > expected;
    case '>=': return a >= expected;
  }
}

function lookup(list: unknown, key: string): string | number | undefined {
  const found = (list as Array<{ key: string; value: string | number }>).find((item) => item.key === key);
  return found?.value;
}

export function matchesFilter(run: JsonObject, clauses: readonly Clause[]): boolean {
  const info = run['info'] as JsonObject;
  const data = run['data'] as JsonObject;
  return clauses.every((c) => {
    switch (c.entity) {
      case 'attributes': return compare(info[c.key] as string | undefined, c.op, c.value);
      case 'tags': return compare(lookup(data['tags'], c.key), c.op, c.value);
      case 'params': return compare(lookup(data['params'], c.key), c.op, c.value);
      case 'metrics': return compare(lookup(data['metrics'], c.key), c.op, c.value);
    }
  });
}

export interface OrderBy {
  key: string;
  descending: boolean;
}

const orderableAttributes = ['start_time', 'end_time', 'run_name', 'status', 'run_id'];

export function parseOrderBy(raw: unknown): OrderBy[] {
  if (raw === undefined || raw === null) return [{ key: 'start_time', descending: true }];
  if (!Array.isArray(raw) || raw.some((item) => typeof item !== 'string')) throw invalid("'order_by' must be a list of strings.");
  const order = (raw as string[]).map((item) => {
    const m = /^\s*(?:(attributes?|attr)\.)?([\w]+)(?:\s+(ASC|DESC))?\s*$/i.exec(item);
    if (!m || !orderableAttributes.includes(m[2]!)) {
      throw invalid(`Runs cannot be ordered by '${item}': order by one of the attributes ${orderableAttributes.join(', ')} (not by metrics, params or tags).`);
    }
    return { key: m[2]!, descending: (m[3] ?? 'ASC').toUpperCase() === 'DESC' };
  });
  return order.length > 0 ? order : [{ key: 'start_time', descending: true }];
}

export function sortRuns(runs: JsonObject[], order: readonly OrderBy[]): JsonObject[] {
  const valueOf = (run: JsonObject, key: string): string | number => {
    const value = (run['info'] as JsonObject)[key];
    return key.endsWith('_time') ? Number(value ?? 0) : String(value ?? '');
  };
  return [...runs].sort((a, b) => {
    for (const { key, descending } of [...order, { key: 'run_id', descending: false }]) {
      const x = valueOf(a, key);
      const y = valueOf(b, key);
      if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
    }
    return 0;
  });
}
