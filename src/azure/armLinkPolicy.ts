import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { Cloud } from './cloud';

export const armLinkPolicyName = 'armLinkPolicy';

const publicArmHost = 'management.azure.com';

/**
 * Azure ML answers nextLinks (and Location headers) that name management.azure.com even when the
 * request went to another Resource Manager endpoint (Azure Stack Hub, a private endpoint). Such a
 * link means the same path on the endpoint the client uses; only the path and query are kept, so
 * nothing goes to a host the cloud does not have.
 */
export function armLinkPolicy(cloud: Cloud): PipelinePolicy {
  const arm = new URL(cloud.resourceManagerEndpoint);
  return {
    name: armLinkPolicyName,
    sendRequest(request, next) {
      if (arm.hostname !== publicArmHost) {
        let url: URL | undefined;
        try {
          url = new URL(request.url);
        } catch {
          url = undefined;
        }
        if (url?.protocol === 'https:' && url.hostname.toLowerCase() === publicArmHost && /^\/subscriptions\//i.test(url.pathname)) {
          request.url = `${arm.origin}${url.pathname}${url.search}`;
        }
      }
      return next(request);
    },
  };
}
