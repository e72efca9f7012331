/** What one ranged read of a log blob found. */
export type RangeReadResult =
  /** New bytes from the requested offset on. */
  | { kind: 'data'; bytes: Uint8Array; fetchedBytes: number }
  /** The blob has no bytes beyond the offset yet (HTTP 416, or an empty 206/200 tail). */
  | { kind: 'none'; fetchedBytes: number }
  /** The blob does not exist yet (listed before its first write). */
  | { kind: 'missing' };

/** Reads a blob from `offset` to its end; `url` carries its own SAS (no auth header). */
export type RangeReader = (url: string, offset: number, signal?: AbortSignal) => Promise<RangeReadResult>;

/** A failed log read. The message never includes the URL (it carries a SAS). */
export class LogReadError extends Error {
  override readonly name = 'LogReadError';
  constructor(message: string, readonly status: number | undefined) {
    super(message);
  }
}

function contentRangeStart(header: string | null): number | undefined {
  const match = header ? /^bytes (\d+)-\d+\/(?:\d+|\*)$/i.exec(header.trim()) : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * HTTP range reads with `fetch`: `Range: bytes=<offset>-`. 206 is the tail, 416 means nothing
 * new; a server that ignores Range answers 200 with the whole blob, which is trimmed here (so
 * callers never see a byte twice, though more bytes crossed the wire: `fetchedBytes`).
 */
export const fetchRange: RangeReader = async (url, offset, signal) => {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Range: `bytes=${offset}-` },
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if ((error as { name?: string }).name === 'AbortError') throw error;
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new LogReadError(`Could not reach the log storage${cause ? ` (${cause})` : ''}.`, undefined);
  }
  if (response.status === 416) {
    await response.body?.cancel();
    return { kind: 'none', fetchedBytes: 0 };
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return { kind: 'missing' };
  }
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    throw new LogReadError(`Reading the log failed: the storage answered ${response.status}.`, response.status);
  }
  let body: Uint8Array;
  try {
    body = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if ((error as { name?: string }).name === 'AbortError') throw error;
    // The connection broke mid-answer: none of it is used, the next read asks from the same offset.
    throw new LogReadError('The log storage broke off its answer.', response.status);
  }
  const start = response.status === 206 ? contentRangeStart(response.headers.get('content-range')) ?? offset : 0;
  const skip = Math.max(0, offset - start);
  const bytes = body.subarray(skip);
  return bytes.length > 0 ? { kind: 'data', bytes, fetchedBytes: body.length } : { kind: 'none', fetchedBytes: body.length };
};
