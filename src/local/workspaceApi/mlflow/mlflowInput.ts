import { MlflowError } from '../http/apiError';
import { isObject, type JsonObject } from '../validation';
import type { KeyValue, StoredMetric } from './trackingLog';

/** MLflow's limits on one log-batch request. */
export const batchLimits = { metrics: 1000, params: 100, tags: 100, total: 1000 } as const;
const maxKeyLength = 250;
const maxParamValueLength = 6000;
const maxTagValueLength = 5000;
/** MLflow's rule for metric, param and tag names. */
const keyPattern = /^[/\w.\- ]+$/;

export function invalid(message: string): MlflowError {
  return new MlflowError(400, 'INVALID_PARAMETER_VALUE', message);
}

export function requestBody(body: unknown): JsonObject {
  if (body === undefined) return {};
  if (!isObject(body)) throw invalid('The request body must be a JSON object.');
  return body;
}

/** `run_id`, or the older `run_uuid` the MLflow client sends along with it. */
export function runIdOf(source: JsonObject | URLSearchParams): string {
  const get = (name: string): unknown => (source instanceof URLSearchParams ? source.get(name) ?? undefined : source[name]);
  const value = get('run_id') ?? get('run_uuid');
  if (typeof value !== 'string' || value === '') throw invalid("Missing value for required parameter 'run_id'.");
  return value;
}

export function checkKey(kind: string, key: unknown): string {
  if (typeof key !== 'string' || key === '') throw invalid(`Missing value for required parameter '${kind} key'.`);
  if (key.length > maxKeyLength) throw invalid(`The ${kind} name '${key.slice(0, 40)}…' is longer than ${maxKeyLength} characters.`);
  if (!keyPattern.test(key) || key.split('/').some((part) => part === '..' || part === '.')) {
    throw invalid(`Invalid ${kind} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/), and may not be a relative path.`);
  }
  return key;
}

/** An int64 as MLflow sends it: a JSON number or a string of digits. */
export function int64(value: unknown, name: string, fallback?: number): number {
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed)) throw invalid(`The value of '${name}' must be an integer (a number or a string of digits); got ${JSON.stringify(value) ?? 'nothing'}.`);
  return parsed;
}

/** A metric value: a number, or "NaN", "Infinity", "-Infinity" or a number written as a string. */
export function metricValue(value: unknown, key: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === 'NaN') return NaN;
    if (text === 'Infinity' || text === 'inf') return Infinity;
    if (text === '-Infinity' || text === '-inf') return -Infinity;
    if (text !== '' && Number.isFinite(Number(text))) return Number(text);
  }
  throw invalid(`The value of metric '${key}' must be a number, "NaN", "Infinity" or "-Infinity"; got ${JSON.stringify(value) ?? 'nothing'}.`);
}

export function metricOf(raw: unknown): StoredMetric {
  if (!isObject(raw)) throw invalid('Each metric must be a JSON object with key, value, timestamp and step.');
  const key = checkKey('metric', raw['key']);
  return {
    key,
    value: metricValue(raw['value'], key),
    timestamp: int64(raw['timestamp'], 'timestamp'),
    step: int64(raw['step'], 'step', 0),
  };
}

function keyValueOf(raw: unknown, kind: 'param' | 'tag'): KeyValue {
  if (!isObject(raw)) throw invalid(`Each ${kind} must be a JSON object with key and value.`);
  const key = checkKey(kind, raw['key']);
  const value = raw['value'];
  if (typeof value !== 'string') throw invalid(`The value of ${kind} '${key}' must be a string.`);
  const max = kind === 'param' ? maxParamValueLength : maxTagValueLength;
  if (value.length > max) throw invalid(`The value of ${kind} '${key}' is longer than ${max} characters.`);
  return { key, value };
}

export const paramOf = (raw: unknown): KeyValue => keyValueOf(raw, 'param');
export const tagOf = (raw: unknown): KeyValue => keyValueOf(raw, 'tag');

export function listOf(body: JsonObject, name: 'metrics' | 'params' | 'tags'): unknown[] {
  const value = body[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(`'${name}' must be a list.`);
  if (value.length > batchLimits[name]) {
    throw invalid(`A batch may hold at most ${batchLimits[name]} ${name}; this one has ${value.length}. Send them in several batches.`);
  }
  return value;
}
