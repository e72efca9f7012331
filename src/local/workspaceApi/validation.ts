import { badRequest } from './http/apiError';

export type JsonObject = Record<string, unknown>;

/** Job ids and asset (code, model) names, as azure-ai-ml checks them before a PUT. */
export const assetNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$/;
/** Datastore names: letters, digits and underscores, case-insensitive (Azure ML's documented rule). */
export const datastoreNamePattern = /^[a-zA-Z0-9_]{1,255}$/;
/** Workspace names, per the ARM spec. */
export const workspaceNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/;
/** Asset versions: like asset names, plus dots for versions such as `1.0.2`. */
export const assetVersionPattern = /^[a-zA-Z0-9][a-zA-Z0-9\-_.]{0,254}$/;

export function requireName(kind: string, name: string, pattern: RegExp, rule: string): void {
  if (!pattern.test(name)) throw badRequest(`Invalid ${kind} name '${name}': ${rule}`, 'name');
}

export function checkAssetName(kind: string, name: string): void {
  requireName(kind, name, assetNamePattern, 'it must start with a letter or digit and contain only letters, digits, \'-\' and \'_\' (at most 255 characters).');
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireObject(value: unknown, path: string): JsonObject {
  if (value === undefined || value === null) throw badRequest(`The field '${path}' is required.`, path);
  if (!isObject(value)) throw badRequest(`The field '${path}' must be a JSON object.`, path);
  return value;
}

export function optionalObject(value: unknown, path: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw badRequest(`The field '${path}' must be a JSON object.`, path);
  return value;
}

/** The request's `properties` object: required in every PUT of this API. */
export function bodyProperties(body: unknown): JsonObject {
  const root = requireObject(body, 'body');
  return requireObject(root['properties'], 'properties');
}

export function requireString(obj: JsonObject, key: string, path: string): string {
  const value = obj[key];
  if (value === undefined || value === null || value === '') throw badRequest(`The field '${path}' is required.`, path);
  if (typeof value !== 'string') throw badRequest(`The field '${path}' must be a string.`, path);
  return value;
}

export function optionalString(obj: JsonObject, key: string, path: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`The field '${path}' must be a string.`, path);
  return value;
}

export function optionalBoolean(obj: JsonObject, key: string, path: string): boolean | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badRequest(`The field '${path}' must be true or false.`, path);
  return value;
}

/** Matches case-insensitively and answers the canonical spelling. */
export function requireEnum<T extends string>(obj: JsonObject, key: string, path: string, allowed: readonly T[]): T {
  const value = requireString(obj, key, path);
  const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!found) throw badRequest(`The field '${path}' must be one of ${allowed.join(', ')}; '${value}' is not supported.`, path);
  return found;
}

export function optionalEnum<T extends string>(obj: JsonObject, key: string, path: string, allowed: readonly T[]): T | undefined {
  if (obj[key] === undefined || obj[key] === null) return undefined;
  return requireEnum(obj, key, path, allowed);
}

/** `tags` and `properties` bags: string values only; null is allowed. */
export function optionalStringMap(obj: JsonObject, key: string, path: string): Record<string, string> | undefined {
  const value = optionalObject(obj[key], path);
  if (!value) return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw badRequest(`The field '${path}.${k}' must be a string.`, `${path}.${k}`);
  }
  return value as Record<string, string>;
}

/** Deep equality of JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keysA = Object.keys(a).filter((k) => a[k] !== undefined);
    const keysB = Object.keys(b).filter((k) => b[k] !== undefined);
    return keysA.length === keysB.length && keysA.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
