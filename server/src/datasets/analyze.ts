import { AnalysisBuilder, type FileFacts } from './analysis-builder.js';
import { analyzeJson } from './analyze-json.js';
import { analyzeJsonl } from './analyze-jsonl.js';
import { MeteredInput, TooLargeError } from './byte-source.js';
import { DETECTION_WINDOW_BYTES, detectEncoding } from './detect.js';
import { JsonReadError, OversizedValueError } from './json-reader.js';
import { LineTooLongError, readLines } from './jsonl-lines.js';
import { ProblemLog, formatBytes } from './problems.js';
import type { ConversationRecord, DatasetAnalysis, DatasetEncoding, DatasetProblems } from './types.js';

export type * from './types.js';

export interface AnalyzeOptions {
  /** Used in messages only; the encoding is detected from the content. */
  fileName?: string;
  /** Size limit in bytes; a larger input stops the analysis with a TOO_LARGE problem. */
  maxBytes: number;
  /** Called once per valid conversation, in file order; awaited, so it can apply backpressure. */
  onConversation: (conversation: ConversationRecord) => Promise<void> | void;
  signal?: AbortSignal;
}

/**
 * Reads a brightrun-lora-v4 file once, as a stream: hashes and measures it, detects JSON or
 * JSONL, validates every pair, hands each conversation to `onConversation` and returns the
 * dataset's figures — or the problems that make it unusable. Bad input never throws; only an
 * abort or a failing input stream or callback does.
 */
export async function analyzeDataset(
  input: AsyncIterable<Uint8Array>,
  options: AnalyzeOptions,
): Promise<DatasetAnalysis | DatasetProblems> {
  const metered = new MeteredInput(input, options.maxBytes, options.signal);
  const problems = new ProblemLog();
  const builder = new AnalysisBuilder(options.onConversation, problems);
  const name = options.fileName ? `"${options.fileName}"` : 'The file';
  try {
    const encoding = await detect(metered, problems);
    if (encoding === null) return problems.result();
    const facts = await read(encoding, metered, builder, problems);
    if (problems.size === 0 && builder.pairCount === 0 && builder.conversationCount === 0) {
      problems.add('EMPTY', { message: `${name} holds no training pairs: there is nothing to train on. Export a dataset with at least one conversation.` });
    }
    if (problems.size > 0) return problems.result();
    return builder.finish({ ...facts, sha256: metered.digest(), sizeBytes: metered.sizeBytes });
  } catch (error) {
    if (!(error instanceof TooLargeError)) throw error;
    const problem = {
      message: `${name} is larger than the ${formatBytes(error.maxBytes)} limit (${formatBytes(error.bytesRead)} read before stopping) — split it into smaller datasets or raise the upload limit.`,
    };
    const tooLarge = new ProblemLog();
    tooLarge.add('TOO_LARGE', problem);
    return tooLarge.result();
  } finally {
    await metered.close();
  }
}

async function detect(metered: MeteredInput, problems: ProblemLog): Promise<DatasetEncoding | null> {
  let peekedBytes = 0;
  for (;;) {
    const chunk = await metered.peekMore();
    // Only look again once a line has ended (or the window is full): re-joining the prefix
    // for every small chunk would cost quadratic time.
    if (chunk !== null) {
      peekedBytes += chunk.length;
      if (chunk.indexOf(0x0a) === -1 && chunk.indexOf(0x0d) === -1 && peekedBytes < DETECTION_WINDOW_BYTES) continue;
    }
    const detection = detectEncoding(metered.prefix(), chunk === null);
    if (!detection.decided) continue;
    if ('encoding' in detection) return detection.encoding;
    problems.add(detection.problem.kind, { line: 1, message: detection.problem.message });
    return null;
  }
}

type Facts = Omit<FileFacts, 'sha256' | 'sizeBytes'>;

async function read(encoding: DatasetEncoding, metered: MeteredInput, builder: AnalysisBuilder, problems: ProblemLog): Promise<Facts> {
  if (encoding === 'JSONL') {
    try {
      const { meta, parsedMeta } = await analyzeJsonl(readLines(metered.chunks()), builder, problems);
      return {
        encoding,
        fileMetadata: meta,
        consultantProfile: null,
        vertical: parsedMeta?.vertical ?? null,
        formatSpec: parsedMeta?.format_spec ?? null,
        version: parsedMeta?.version ?? null,
        declaredQuality: null,
        declaredTotalPairs: parsedMeta?.total_pairs ?? null,
      };
    } catch (error) {
      if (!(error instanceof LineTooLongError)) throw error;
      problems.add('INVALID_CONTENT', {
        line: error.lineNumber,
        message: `line ${error.lineNumber} is longer than ${formatBytes(error.maxBytes)}; a JSONL line holds one training pair — check that the file really is JSONL.`,
      });
      return emptyFacts(encoding);
    }
  }
  try {
    const facts = await analyzeJson(metered.chunks(), builder, problems);
    return { encoding, ...facts, declaredTotalPairs: null };
  } catch (error) {
    if (error instanceof JsonReadError) {
      const at = `line ${error.line}, column ${error.column}`;
      if (error.kind === 'content') {
        problems.add('INVALID_CONTENT', {
          line: error.line,
          column: error.column,
          ...(error.where.startsWith('the ') ? {} : { field: error.where }),
          message: `${at} (in ${error.where}): ${error.reason}.`,
        });
      } else {
        problems.add('INVALID_JSON', {
          line: error.line,
          column: error.column,
          message: error.atEnd
            ? `The file ends in the middle of ${error.where} (${at}, after ${formatBytes(metered.sizeBytes)}): ` +
              'the JSON is incomplete, so the file was probably cut off during export or upload — export or upload it again.'
            : `Invalid JSON at ${at} (in ${error.where}): ${error.reason} — fix the syntax there or export the file again.`,
        });
      }
      return emptyFacts(encoding);
    }
    if (error instanceof OversizedValueError) {
      problems.add('INVALID_CONTENT', {
        line: error.line,
        message: `${error.where} (from line ${error.line}) holds more than ${formatBytes(error.limitChars)} of text, more than any real conversation — split it or check the export.`,
      });
      return emptyFacts(encoding);
    }
    throw error;
  }
}

function emptyFacts(encoding: DatasetEncoding): Facts {
  return { encoding, fileMetadata: null, consultantProfile: null, vertical: null, formatSpec: null, version: null, declaredQuality: null, declaredTotalPairs: null };
}
