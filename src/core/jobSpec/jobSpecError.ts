/** A job file or a submit choice that can't become a job; the message says what to change. */
export class JobSpecError extends Error {
  override readonly name = 'JobSpecError';
  readonly code = 'InvalidJobSpec';
}
