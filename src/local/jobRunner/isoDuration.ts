const pattern = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const second = 1000;
const day = 24 * 60 * 60 * second;

/**
 * Milliseconds of an ISO 8601 duration such as `PT1H30M` or `P1DT2S`, or undefined when the
 * text is not one. Years count 365 days and months 30 (a job limit needs no calendar).
 */
export function isoDurationMs(text: string): number | undefined {
  const m = pattern.exec(text.trim());
  if (!m) return undefined;
  const n = (i: number): number => (m[i] ? Number(m[i]) : 0);
  return n(1) * 365 * day + n(2) * 30 * day + n(3) * 7 * day + n(4) * day
    + n(5) * 3600 * second + n(6) * 60 * second + Math.round(n(7) * second);
}
