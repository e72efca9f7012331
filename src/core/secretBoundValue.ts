import { isSecretFresh } from '../azure/secretExpiry';

/** Something built on a secret, and when that secret expires (undefined: it does not). */
export interface SecretBound<T> {
  value: T;
  expiresAt?: Date;
}

/**
 * A value built on a secret (a datastore's storage client with its SAS or key), built on first
 * use, shared while the secret is fresh, and built again (asking for a new secret) once it is
 * about to expire or when building it failed.
 */
export class SecretBoundValue<T> {
  private pending: Promise<SecretBound<T>> | undefined;
  private built: SecretBound<T> | undefined;

  constructor(
    private readonly build: () => Promise<SecretBound<T>>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get(): Promise<T> {
    if (!this.pending || (this.built && !isSecretFresh(this.built.expiresAt, this.now()))) {
      this.built = undefined;
      const pending = this.build();
      this.pending = pending;
      pending.then(
        (built) => {
          if (this.pending === pending) this.built = built;
        },
        () => {
          if (this.pending === pending) this.pending = undefined;
        },
      );
    }
    return this.pending.then((built) => built.value);
  }
}
