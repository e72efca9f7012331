/** An error answered to the client as `{"error":{"code","message","target"}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The request field the error is about, e.g. `properties.accountName`. */
    readonly target?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function badRequest(message: string, target?: string): ApiError {
  return new ApiError(400, 'UserError', message, target);
}

export function notFound(message: string, code = 'ResourceNotFound'): ApiError {
  return new ApiError(404, code, message);
}

export function conflict(message: string): ApiError {
  return new ApiError(409, 'Conflict', message);
}

/** An error of the MLflow tracking API, answered as MLflow does: `{"error_code","message"}`. */
export class MlflowError extends ApiError {
  constructor(status: number, code: 'RESOURCE_DOES_NOT_EXIST' | 'INVALID_PARAMETER_VALUE' | 'BAD_REQUEST' | 'INTERNAL_ERROR', message: string) {
    super(status, code, message);
  }
}
