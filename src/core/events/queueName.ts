/**
 * Azure Storage queue names: 3 to 63 lower-case letters, digits and single hyphens, starting
 * and ending with a letter or digit. 56 at most here, so that `<name>-poison` is one too.
 */
export function isEventsQueueName(name: string): boolean {
  return name.length >= 3 && name.length <= 56 && /^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/.test(name);
}
