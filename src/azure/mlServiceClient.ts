import * as l10n from '@vscode/l10n';
import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { TokenCredential } from '@azure/core-auth';
import { bearerTokenAuthenticationPolicyName, type PipelinePolicy } from '@azure/core-rest-pipeline';
import type { Cloud } from './cloud';
import { answerShapePolicy } from './answerShapePolicy';
import { armLinkPolicy } from './armLinkPolicy';
import { loopbackBearerTokenPolicy } from './loopbackAuthPolicy';
import { lostAnswerRetryPolicy, retryAfterLimitPolicy } from './retryGaps';
import { transportClientOptions } from './transport';
import { trustedHostPolicy } from './trustedHostPolicy';

/**
 * The one api-version for every Microsoft.MachineLearningServices call, SDK or raw. The SDK
 * (2.1.1) is generated for 2022-10-01; 2024-10-01 is a current stable version with the same
 * shapes for what we use, plus code-version hash lookup and startPendingUpload.
 */
export const machineLearningApiVersion = '2024-10-01';

const machineLearningProviderPath = /\/providers\/Microsoft\.MachineLearningServices\//i;

/** Pins api-version on Azure ML provider URLs only (other ARM providers keep theirs). */
function machineLearningApiVersionPolicy(apiVersion: string): PipelinePolicy {
  return {
    name: 'machineLearningApiVersionPolicy',
    sendRequest(request, next) {
      const queryStart = request.url.indexOf('?');
      const path = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
      if (queryStart >= 0 && machineLearningProviderPath.test(path)) {
        // String surgery rather than URLSearchParams, which would re-encode `$skip` tokens.
        request.url = path + request.url.slice(queryStart).replace(/([?&]api-version=)[^&#]*/i, `$1${apiVersion}`);
      }
      return next(request);
    },
  };
}

/**
 * The Azure ML management client for one subscription of `cloud`. Its pipeline (auth, retry,
 * error handling) also carries our raw requests (`client.sendRequest`).
 *
 * Azure clouds keep the SDK's bearer-token policy, behind a policy that lets requests reach
 * only the cloud's own hosts. Clouds that allow plain-HTTP loopback (the local workspace) get
 * our loopback-only policy instead.
 */
export function createMachineLearningClient(
  cloud: Cloud,
  credential: TokenCredential,
  subscriptionId: string,
): AzureMachineLearningWorkspaces {
  const client = new AzureMachineLearningWorkspaces(credential, subscriptionId, {
    endpoint: cloud.resourceManagerEndpoint,
    $host: cloud.resourceManagerEndpoint,
    credentialScopes: cloud.armScope,
    ...transportClientOptions((url) => (url.startsWith(`${cloud.resourceManagerEndpoint}/`) ? l10n.t('Azure Resource Manager') : l10n.t('Azure Machine Learning'))),
  });
  client.pipeline.addPolicy(armLinkPolicy(cloud));
  client.pipeline.addPolicy(machineLearningApiVersionPolicy(machineLearningApiVersion));
  client.pipeline.addPolicy(lostAnswerRetryPolicy(), { phase: 'Retry' });
  // Inside the retries: a 429/503 asking to wait more than a minute fails rather than waits.
  client.pipeline.addPolicy(retryAfterLimitPolicy(), { afterPhase: 'Retry' });
  // Inside the retries, outside the transport (which reads the body it answers with): it must
  // see an answer before the SDK's deserializer reads it.
  client.pipeline.addPolicy(answerShapePolicy(), { afterPhase: 'Retry' });
  if (cloud.allowsPlainHttpLoopback) {
    client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
    // Sign phase: runs on every attempt, after retries and redirects, so each final URL is checked.
    client.pipeline.addPolicy(loopbackBearerTokenPolicy(credential, cloud.armScope), { phase: 'Sign' });
  } else {
    client.pipeline.addPolicy(trustedHostPolicy(cloud), { phase: 'Sign', beforePolicies: [bearerTokenAuthenticationPolicyName] });
  }
  return client;
}
