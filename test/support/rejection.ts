import * as assert from 'node:assert/strict';
import { AzureMlError } from '../../src/azure/errors';

/** Awaits a call that must fail, and returns its error, which must be an AzureMlError. */
export async function rejection(promise: Promise<unknown>): Promise<AzureMlError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof AzureMlError, `expected an AzureMlError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to fail');
}
