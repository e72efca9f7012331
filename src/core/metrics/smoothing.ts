/**
 * Exponential moving average with the start-up bias removed (as TensorBoard smooths), for a
 * weight in [0, 1): 0 returns the values unchanged. Non-finite values pass through and do not
 * enter the average, so one NaN does not blank the rest of the curve.
 */
export function smooth(values: ArrayLike<number>, weight: number): number[] {
  const out = Array.from(values);
  if (!(weight > 0)) return out;
  const w = Math.min(weight, 0.999);
  let average = 0;
  let count = 0;
  for (let i = 0; i < out.length; i++) {
    const v = out[i];
    if (!Number.isFinite(v)) continue;
    average = average * w + (1 - w) * v;
    count++;
    out[i] = average / (1 - w ** count);
  }
  return out;
}
