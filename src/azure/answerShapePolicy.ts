import * as l10n from '@vscode/l10n';
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';
import { AzureMlError } from './errors';

export const answerShapePolicyName = 'answerShapePolicy';

const retryLater = (): string => l10n.t('try again; if it keeps happening, a proxy or the network in between may be answering instead of Azure');

function invalid(what: string, status: number): AzureMlError {
  return new AzureMlError(l10n.t('The service answered with {0}: {1}.', what, retryLater()), status, 'InvalidResponse');
}

/** Why a successful JSON answer cannot be what Azure Resource Manager sends, or undefined. */
function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Azure ML resources (datastores, jobs, models…) always carry their fields in an object `properties`. */
const machineLearningResourcePath = /\/providers\/Microsoft\.MachineLearningServices\/.+(?<!\/listSecrets)(\?|$)/i;

const operationPollPath = /\/(mfe)?operation(Results|Statuses|sStatus)\/[^/]+$/i;

function shapeProblem(response: PipelineResponse, url: string): string | undefined {
  const text = response.bodyAsText;
  if (text === undefined || text === null) return undefined;
  // A long-running operation's final poll may answer 200 with nothing in it.
  if (text.trim() === '') return operationPollPath.test(url.split('?')[0]!) ? undefined : l10n.t('an empty answer where data was expected');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return l10n.t('something that is not valid JSON (it may have been cut off, or be a web page)');
  }
  if (!isObject(body)) return l10n.t('an answer that has an unexpected shape (not a JSON object)');
  const { value, nextLink } = body;
  if (value !== undefined && !Array.isArray(value)) return l10n.t('a list that has an unexpected shape ("value" is not a list)');
  if (machineLearningResourcePath.test(url.split('?')[0]!)) {
    const resources = Array.isArray(value) ? value : 'properties' in body ? [body] : [];
    if (resources.some((r) => !isObject(r) || !isObject(r['properties']))) return l10n.t('an answer that has an unexpected shape (a resource without its properties)');
  }
  if (nextLink !== undefined && nextLink !== null && typeof nextLink !== 'string') return l10n.t('a list that has an unexpected shape ("nextLink" is not text)');
  return undefined;
}

/**
 * Checks every successful answer to a GET (and to listSecrets) before the SDK reads it: a
 * body that is empty, not JSON, or not shaped like a Resource Manager answer becomes one
 * clear error, rather than a parser's message with the body in it, or an empty list.
 */
export function answerShapePolicy(): PipelinePolicy {
  return {
    name: answerShapePolicyName,
    async sendRequest(request, next) {
      const response = await next(request);
      const readsData = request.method === 'GET' || /\/listSecrets(\?|$)/i.test(request.url);
      if (!readsData || response.status !== 200 || request.streamResponseStatusCodes?.has(200)) return response;
      const problem = shapeProblem(response, request.url);
      if (problem) throw invalid(problem, response.status);
      return response;
    },
  };
}
