import * as l10n from '@vscode/l10n';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { Cloud } from './cloud';
import { mayReceiveArmToken, untrustedHostError } from './trustedHosts';

export const trustedHostPolicyName = 'trustedHostPolicy';

/**
 * Refuses, before the SDK's bearer policy attaches the ARM token, every request that is not
 * HTTPS to the cloud's Resource Manager or Azure ML data plane: a nextLink, discovery URL or
 * run-history base pointing elsewhere never receives the token. Runs in the Sign phase, so
 * each retry and redirect is checked too.
 */
export function trustedHostPolicy(cloud: Cloud): PipelinePolicy {
  return {
    name: trustedHostPolicyName,
    sendRequest(request, next) {
      if (!mayReceiveArmToken(cloud, request.url)) throw untrustedHostError(cloud, request.url, l10n.t('your Azure sign-in'));
      return next(request);
    },
  };
}
