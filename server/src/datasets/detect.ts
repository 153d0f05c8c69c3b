import type { DatasetEncoding, DatasetProblemKind } from './types.js';

// The encoding is decided from the first line. A pretty-printed full file starts with a lone
// "{"; a minified one is a single huge line. A JSONL file's first line is a complete object:
// the `_meta` line or a pair. Lines of a few MB are already far beyond any real pair.
export const DETECTION_WINDOW_BYTES = 4 * 1024 * 1024;

const DOCUMENT_KEYS = ['training_file_metadata', 'conversations', 'consultant_profile'];

export type Detection =
  | { decided: true; encoding: DatasetEncoding }
  | { decided: true; problem: { kind: DatasetProblemKind; message: string } }
  | { decided: false };

const NEED_MORE: Detection = { decided: false };

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function firstLineSnippet(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}

function wrongFormat(message: string): Detection {
  return { decided: true, problem: { kind: 'WRONG_FORMAT', message } };
}

function describeStart(text: string): Detection {
  const snippet = firstLineSnippet(text);
  const looksLikeCsv = snippet.includes(',') && !snippet.trimStart().startsWith('<');
  const hint = looksLikeCsv
    ? 'It looks like CSV. '
    : text.trimStart().startsWith('<')
      ? 'It looks like HTML or XML. '
      : '';
  return wrongFormat(
    `The file starts with ${JSON.stringify(snippet)}, not a JSON object. ${hint}BrightRun imports brightrun-lora-v4 files: ` +
      'a JSON object with training_file_metadata and conversations, or JSONL with one training pair per line. ' +
      'Export the dataset from the conversation generator in one of those forms.',
  );
}

function classifyParsedLine(value: unknown): DatasetEncoding {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    if (DOCUMENT_KEYS.some((key) => Object.hasOwn(value, key))) return 'JSON';
  }
  return 'JSONL';
}

/**
 * Looks at the start of the file. `complete` says the prefix is the whole file. Undecided
 * means: read more (up to DETECTION_WINDOW_BYTES) and ask again.
 */
export function detectEncoding(prefix: Buffer, complete: boolean): Detection {
  if ((prefix[0] === 0xff && prefix[1] === 0xfe) || (prefix[0] === 0xfe && prefix[1] === 0xff)) {
    return wrongFormat('The file is UTF-16 encoded; brightrun-lora-v4 files are UTF-8 — save or export it as UTF-8.');
  }
  let start = prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf ? 3 : 0;
  while (start < prefix.length && isWhitespace(prefix[start]!)) start += 1;
  if (start === prefix.length) {
    if (!complete) return NEED_MORE;
    return { decided: true, problem: { kind: 'EMPTY', message: 'The file is empty: there is nothing to import. Upload a brightrun-lora-v4 .json or .jsonl file.' } };
  }
  const first = prefix[start];
  if (first === 0x5b /* [ */) {
    return wrongFormat(
      'The file is a JSON list. brightrun-lora-v4 is a JSON object with training_file_metadata and conversations, ' +
        'or JSONL with one training pair per line — export the dataset in one of those forms.',
    );
  }
  if (first !== 0x7b /* { */) return describeStart(prefix.subarray(start, start + 512).toString('utf8'));

  // The first line ends at LF, CRLF or a lone CR (classic Mac line ends).
  const lf = prefix.indexOf(0x0a, start);
  const cr = prefix.indexOf(0x0d, start);
  const newline = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
  if (newline === -1) {
    if (!complete && prefix.length < DETECTION_WINDOW_BYTES) return NEED_MORE;
    if (!complete) return { decided: true, encoding: 'JSON' };
    // The whole file is one line: a minified full file, or a JSONL file holding one pair.
    try {
      return { decided: true, encoding: classifyParsedLine(JSON.parse(prefix.subarray(start).toString('utf8'))) };
    } catch {
      return { decided: true, encoding: 'JSON' };
    }
  }
  const firstLine = prefix.subarray(start, newline).toString('utf8');
  try {
    return { decided: true, encoding: classifyParsedLine(JSON.parse(firstLine)) };
  } catch {
    // "{" alone, or the start of a pretty-printed object: the parser will take it from here.
    return { decided: true, encoding: 'JSON' };
  }
}
