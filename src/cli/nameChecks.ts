/**
 * Names typed on the command line, checked with the same rules as the forms and the service
 * before anything is asked of the workspace, so a typo gets the rule rather than "not found".
 */
import { jobNamePattern } from '../core/jobSpec/names';
import { datastoreNameError, modelNameError } from '../forms/validation';
import { UsageError } from './usage';

function checked(value: string, option: string, what: string, problem: string | undefined): string {
  if (!problem) return value;
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  throw new UsageError(`${option} ${JSON.stringify(shown)} is not a valid ${what} name: ${problem.charAt(0).toLowerCase()}${problem.slice(1)}`);
}

export function checkedDatastoreName(value: string): string {
  return checked(value, '--datastore', 'datastore', datastoreNameError(value));
}

export function checkedModelName(value: string): string {
  return checked(value, '--name', 'model', modelNameError(value));
}

/** Experiment names and job names follow the same rule. */
export function checkedServiceName(value: string, what: 'experiment' | 'job', option: string): string {
  return checked(value, option, what, jobNamePattern.test(value) ? undefined
    : 'use only letters, digits, hyphens (-) and underscores (_), start with a letter or digit, at most 255 characters.');
}
