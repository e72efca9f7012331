/**
 * An error answered the way Azure Files answers it: an HTTP status, an error code (sent as the
 * `x-ms-error-code` header and in the XML body) and a message.
 */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers (e.g. `Content-Range` on 416). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const errors = {
  authenticationFailed: (detail: string) =>
    new StorageError(403, 'AuthenticationFailed', `Server failed to authenticate the request. ${detail}`),
  authorizationPermissionMismatch: () =>
    new StorageError(403, 'AuthorizationPermissionMismatch', 'This request is not authorized to perform this operation using this permission.'),
  authorizationResourceTypeMismatch: () =>
    new StorageError(403, 'AuthorizationResourceTypeMismatch', 'This request is not authorized to perform this operation using this resource type.'),
  authorizationServiceMismatch: () =>
    new StorageError(403, 'AuthorizationServiceMismatch', 'This request is not authorized to perform this operation using this service.'),
  authorizationProtocolMismatch: () =>
    new StorageError(403, 'AuthorizationProtocolMismatch', 'This request is not authorized to perform this operation using this protocol.'),
  authorizationSourceIPMismatch: () =>
    new StorageError(403, 'AuthorizationSourceIPMismatch', 'This request is not authorized to perform this operation using this source IP.'),
  shareNotFound: () => new StorageError(404, 'ShareNotFound', 'The specified share does not exist.'),
  shareAlreadyExists: () => new StorageError(409, 'ShareAlreadyExists', 'The specified share already exists.'),
  parentNotFound: () => new StorageError(404, 'ParentNotFound', 'The specified parent path does not exist.'),
  resourceNotFound: () => new StorageError(404, 'ResourceNotFound', 'The specified resource does not exist.'),
  resourceAlreadyExists: () => new StorageError(409, 'ResourceAlreadyExists', 'The specified resource already exists.'),
  resourceTypeMismatch: () =>
    new StorageError(409, 'ResourceTypeMismatch', 'The specified resource type does not match the type of the existing resource.'),
  directoryNotEmpty: () => new StorageError(409, 'DirectoryNotEmpty', 'The specified directory is not empty.'),
  invalidRange: (size: number) =>
    new StorageError(416, 'InvalidRange', 'The range specified is invalid for the current size of the resource.', {
      'Content-Range': `bytes */${size}`,
    }),
  invalidUri: (detail: string) => new StorageError(400, 'InvalidUri', `The requested URI does not represent any resource on the server. ${detail}`),
  invalidResourceName: (detail: string) => new StorageError(400, 'InvalidResourceName', `The specifed resource name contains invalid characters. ${detail}`),
  invalidHeaderValue: (header: string) =>
    new StorageError(400, 'InvalidHeaderValue', `The value for one of the HTTP headers is not in the correct format: ${header}.`),
  invalidMetadata: (name: string) =>
    new StorageError(400, 'InvalidMetadata', `The metadata name "${name}" is not a valid C# identifier.`),
  missingRequiredHeader: (header: string) =>
    new StorageError(400, 'MissingRequiredHeader', `An HTTP header that's mandatory for this request is not specified: ${header}.`),
  missingContentLength: () =>
    new StorageError(411, 'MissingContentLengthHeader', 'The Content-Length header was not specified.'),
  invalidQueryParameterValue: (name: string) =>
    new StorageError(400, 'InvalidQueryParameterValue', `Value for one of the query parameters specified in the request URI is invalid: ${name}.`),
  outOfRangeQueryParameterValue: (name: string) =>
    new StorageError(400, 'OutOfRangeQueryParameterValue', `One of the query parameters specified in the request URI is outside the permissible range: ${name}.`),
  md5Mismatch: () =>
    new StorageError(400, 'Md5Mismatch', 'The MD5 value specified in the request did not match with the MD5 value calculated by the server.'),
  requestBodyTooLarge: () => new StorageError(413, 'RequestBodyTooLarge', 'The request body is too large and exceeds the maximum permissible limit.'),
  invalidInput: (detail: string) => new StorageError(400, 'InvalidInput', `One of the request inputs is not valid. ${detail}`),
  notImplemented: (what: string) =>
    new StorageError(501, 'NotImplemented', `The local file service does not implement this operation: ${what}.`),
  unsupportedHttpVerb: (method: string) =>
    new StorageError(405, 'UnsupportedHttpVerb', `The resource doesn't support the specified HTTP verb: ${method}.`),
};
