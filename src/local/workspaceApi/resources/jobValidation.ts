import { badRequest } from '../http/apiError';
import {
  assetNamePattern, clone, isObject, jsonEqual, optionalBoolean, optionalObject, optionalString, optionalStringMap,
  requireEnum, requireString, type JsonObject,
} from '../validation';

export const inputTypes = ['literal', 'uri_file', 'uri_folder', 'mltable', 'custom_model', 'mlflow_model', 'triton_model'] as const;
export const outputTypes = ['uri_file', 'uri_folder', 'mltable', 'custom_model', 'mlflow_model', 'triton_model'] as const;
const inputModes = ['ReadOnlyMount', 'ReadWriteMount', 'Download', 'Direct', 'EvalMount', 'EvalDownload'] as const;
const outputModes = ['ReadWriteMount', 'Upload', 'Direct'] as const;
const otherJobTypes = ['AutoML', 'Sweep', 'Pipeline', 'Spark', 'Labeling', 'FineTuning'];
const isoDuration = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

/** Fields a PUT may change on an existing job; every other given field must stay as it is. */
const mutableFields = new Set(['description', 'displayName', 'tags', 'properties', 'isArchived']);
/** Read-only fields clients echo back from a GET; never taken from a request. */
const readOnlyFields = ['status', 'parameters', 'services', 'provisioningState'];

export interface JobSpecContext {
  jobName: string;
  /** Resolves a `codeId` to its canonical ARM id; throws a 400 when it names no code version. */
  resolveCodeId(codeId: string): string;
  /** Resolves a `computeId` (ARM id or short name) to the canonical ARM id; throws a 400 otherwise. */
  resolveComputeId(computeId: string): string;
  defaultComputeId: string;
  /** Default `uri` of an output the request leaves without one. */
  defaultOutputUri(outputName: string): string;
}

function validateJobType(props: JsonObject, required: boolean): void {
  const value = props['jobType'];
  if (!required && (value === undefined || value === null)) return;
  if (typeof value === 'string' && otherJobTypes.some((t) => t.toLowerCase() === value.toLowerCase())) {
    throw badRequest(`The local workspace runs Command jobs only; '${value}' jobs are not supported.`, 'properties.jobType');
  }
  props['jobType'] = requireEnum(props, 'jobType', 'properties.jobType', ['Command'] as const);
}

function validateInputs(props: JsonObject): void {
  const inputs = optionalObject(props['inputs'], 'properties.inputs');
  for (const [name, value] of Object.entries(inputs ?? {})) {
    const path = `properties.inputs.${name}`;
    if (value === null) continue;
    if (!isObject(value)) throw badRequest(`The field '${path}' must be a JSON object.`, path);
    const type = requireEnum(value, 'jobInputType', `${path}.jobInputType`, inputTypes);
    value['jobInputType'] = type;
    if (type === 'literal') requireString(value, 'value', `${path}.value`);
    else requireString(value, 'uri', `${path}.uri`);
    const mode = value['mode'] === undefined || value['mode'] === null ? undefined : requireEnum(value, 'mode', `${path}.mode`, inputModes);
    if (mode) value['mode'] = mode;
  }
}

function validateOutputs(props: JsonObject, context: JobSpecContext): void {
  const outputs = optionalObject(props['outputs'], 'properties.outputs');
  for (const [name, value] of Object.entries(outputs ?? {})) {
    const path = `properties.outputs.${name}`;
    if (value === null) continue;
    if (!isObject(value)) throw badRequest(`The field '${path}' must be a JSON object.`, path);
    value['jobOutputType'] = requireEnum(value, 'jobOutputType', `${path}.jobOutputType`, outputTypes);
    const mode = value['mode'] === undefined || value['mode'] === null ? undefined : requireEnum(value, 'mode', `${path}.mode`, outputModes);
    if (mode) value['mode'] = mode;
    if (optionalString(value, 'uri', `${path}.uri`) === undefined) value['uri'] = context.defaultOutputUri(name);
  }
}

/** `${{inputs.x}}` / `${{outputs.y}}` in the command must name declared inputs and outputs. */
function validateCommandReferences(props: JsonObject): void {
  const command = props['command'];
  if (typeof command !== 'string') return;
  for (const m of command.matchAll(/\$\{\{\s*(inputs|outputs)\.([A-Za-z0-9_\-]+)\s*\}\}/g)) {
    const declared = props[m[1]!];
    if (!isObject(declared) || !(m[2]! in declared)) {
      throw badRequest(`The command refers to ${m[1]}.${m[2]}, which the job does not declare in 'properties.${m[1]}'.`, 'properties.command');
    }
  }
}

/**
 * Validates and normalizes a job PUT's `properties`. `create` requires what a new job needs;
 * otherwise (an update) missing fields are fine and given ones are checked the same way.
 */
export function normalizeJobSpec(input: JsonObject, context: JobSpecContext, create: boolean): JsonObject {
  const props = clone(input);
  for (const field of readOnlyFields) if (field !== 'services') delete props[field];
  validateJobType(props, create);
  if (create || props['command'] !== undefined) requireString(props, 'command', 'properties.command');
  if (create || props['environmentId'] !== undefined) requireString(props, 'environmentId', 'properties.environmentId');
  optionalString(props, 'description', 'properties.description');
  optionalString(props, 'displayName', 'properties.displayName');
  optionalStringMap(props, 'tags', 'properties.tags');
  optionalStringMap(props, 'properties', 'properties.properties');
  optionalStringMap(props, 'environmentVariables', 'properties.environmentVariables');
  optionalBoolean(props, 'isArchived', 'properties.isArchived');
  optionalObject(props['services'], 'properties.services');
  optionalObject(props['distribution'], 'properties.distribution');
  optionalObject(props['identity'], 'properties.identity');

  const experimentName = optionalString(props, 'experimentName', 'properties.experimentName');
  if (experimentName !== undefined && !assetNamePattern.test(experimentName)) {
    throw badRequest(`Invalid experiment name '${experimentName}': use letters, digits, '-' and '_', starting with a letter or digit.`, 'properties.experimentName');
  }
  if (create && experimentName === undefined) props['experimentName'] = 'Default';

  const codeId = optionalString(props, 'codeId', 'properties.codeId');
  if (codeId !== undefined) props['codeId'] = context.resolveCodeId(codeId);
  const computeId = optionalString(props, 'computeId', 'properties.computeId');
  if (computeId !== undefined) props['computeId'] = context.resolveComputeId(computeId);
  else if (create) props['computeId'] = context.defaultComputeId;

  const resources = optionalObject(props['resources'], 'properties.resources');
  const instanceCount = resources?.['instanceCount'];
  if (instanceCount !== undefined && instanceCount !== null && !(Number.isInteger(instanceCount) && (instanceCount as number) >= 1)) {
    throw badRequest("The field 'properties.resources.instanceCount' must be a positive integer.", 'properties.resources.instanceCount');
  }
  const limits = optionalObject(props['limits'], 'properties.limits');
  const timeout = limits ? optionalString(limits, 'timeout', 'properties.limits.timeout') : undefined;
  if (timeout !== undefined && !isoDuration.test(timeout)) {
    throw badRequest("The field 'properties.limits.timeout' must be an ISO 8601 duration such as PT1H30M.", 'properties.limits.timeout');
  }
  validateInputs(props);
  validateOutputs(props, context);
  validateCommandReferences(props);
  return props;
}

/**
 * Applies a normalized update to a stored job spec: description, displayName, tags and
 * isArchived change; properties keys can be added, not changed; any other field given must
 * equal the stored one.
 */
export function mergeJobUpdate(jobName: string, stored: JsonObject, update: JsonObject): JsonObject {
  const merged = clone(stored);
  for (const [field, value] of Object.entries(update)) {
    if (value === undefined || field === 'services') continue;
    if (field === 'properties') {
      const current = (isObject(merged['properties']) ? merged['properties'] : {}) as Record<string, string>;
      for (const [key, v] of Object.entries((value ?? {}) as Record<string, string>)) {
        if (key in current && current[key] !== v) {
          throw badRequest(`The property '${key}' of job '${jobName}' already has a value and cannot be changed; properties can only be added.`, `properties.properties.${key}`);
        }
        current[key] = v;
      }
      merged['properties'] = current;
    } else if (mutableFields.has(field)) {
      merged[field] = value;
    } else if (!jsonEqual(merged[field], value)) {
      throw badRequest(`The field 'properties.${field}' of existing job '${jobName}' cannot be changed; submit a new job instead.`, `properties.${field}`);
    }
  }
  return merged;
}
