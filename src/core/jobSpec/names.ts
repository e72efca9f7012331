import { randomBytes } from 'node:crypto';

/** Job ids and experiment names: `^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$`. */
export const jobNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$/;

/** Makes `text` a valid job or experiment name: other characters become `_`; never empty. */
export function toServiceName(text: string, fallback = 'job'): string {
  const cleaned = text.replace(/[^a-zA-Z0-9\-_]+/g, '_').replace(/^[^a-zA-Z0-9]+/, '').slice(0, 200);
  return cleaned || fallback;
}

/** A new job id: `<stem>_<time>_<random>`, readable and unique (e.g. `train_m3x1k2_a7f3c9`). */
export function newJobName(stem: string, now: Date = new Date()): string {
  return `${toServiceName(stem).slice(0, 60)}_${now.getTime().toString(36)}_${randomBytes(3).toString('hex')}`;
}
