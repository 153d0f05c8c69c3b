/** Parsing of a single HTTP `Range: bytes=…` header (RFC 9110 §14.1.2). */

export type RangeRequest =
  | { kind: 'none' }
  | { kind: 'range'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * `bytes=a-b`, `bytes=a-` and `bytes=-n` become an inclusive range clamped to the object.
 * Headers we do not understand (other units, several ranges, `b < a`) are ignored, as the RFC
 * allows, so the whole object is served.
 */
export function parseRangeHeader(header: string | undefined, sizeBytes: number): RangeRequest {
  if (!header) return { kind: 'none' };
  const match = SINGLE_RANGE.exec(header.trim());
  if (!match) return { kind: 'none' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'none' };

  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || sizeBytes === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, sizeBytes - suffix), end: sizeBytes - 1 };
  }

  const start = Number(first);
  const end = last === '' ? Number.MAX_SAFE_INTEGER : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return { kind: 'none' };
  if (start >= sizeBytes) return { kind: 'unsatisfiable' };
  return { kind: 'range', start, end: Math.min(end, sizeBytes - 1) };
}

export function contentRange(start: number, end: number, sizeBytes: number): string {
  return `bytes ${start}-${end}/${sizeBytes}`;
}
