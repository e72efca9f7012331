import * as l10n from '@vscode/l10n';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';
import { isLoopbackUrl } from './cloud';
import { AzureMlError } from './errors';

export const loopbackBearerTokenPolicyName = 'loopbackBearerTokenPolicy';

function isLoopbackHttpUrl(url: string): boolean {
  if (!isLoopbackUrl(url)) return false;
  const protocol = new URL(url).protocol;
  return protocol === 'http:' || protocol === 'https:';
}

/** A 401 that says the bearer token itself is the problem (`WWW-Authenticate: Bearer error="invalid_token"`). */
function tokenRejected(response: PipelineResponse): boolean {
  return /\berror="?invalid_token"?/i.test(response.headers.get('WWW-Authenticate') ?? '');
}

/**
 * Stands in for the SDK's bearer policy on clouds that allow plain-HTTP loopback (the local
 * workspace): that policy refuses `http:` URLs. This one sends the token, and allows plain HTTP,
 * only to 127.0.0.1 / localhost / [::1], and refuses every other destination, so the token
 * never leaves the machine (also not through a redirect or a foreign nextLink).
 */
export function loopbackBearerTokenPolicy(credential: TokenCredential, scopes: string | string[]): PipelinePolicy {
  const scopeList = Array.isArray(scopes) ? scopes : [scopes];
  return {
    name: loopbackBearerTokenPolicyName,
    async sendRequest(request, next) {
      if (!isLoopbackHttpUrl(request.url)) {
        let origin = request.url;
        try {
          origin = new URL(request.url).origin;
        } catch {
          // Keep the raw text; AzureMlError masks secrets in it.
        }
        throw new AzureMlError(
          l10n.t('Refused to send a local workspace request to {0}: only loopback addresses are allowed.', origin),
          undefined, 'NonLoopbackUrl');
      }
      const signAndSend = async (): Promise<PipelineResponse> => {
        const token = await credential.getToken(scopeList, { abortSignal: request.abortSignal });
        if (!token) throw new AzureMlError(l10n.t('The credential returned no token for the local workspace.'), undefined, 'NoToken');
        request.headers.set('Authorization', `Bearer ${token.token}`);
        request.allowInsecureConnection = true;
        return next(request);
      };
      const response = await signAndSend();
      // A token the service calls invalid (expired early, or replaced) is asked for anew, once;
      // a second refusal reaches the caller as a 401 (sign in / connect again).
      return response.status === 401 && tokenRejected(response) ? signAndSend() : response;
    },
  };
}
