import { ownCopy } from './own-copy.js';
import type { ProblemLog } from './problems.js';
import { QualityAccumulator } from './quality.js';
import { assessReadiness } from './readiness.js';
import { ScaffoldingAccumulator } from './scaffolding.js';
import { TokenStatsAccumulator } from './token-stats.js';
import type { ConversationRecord, DatasetAnalysis } from './types.js';

/** What the reader of one encoding learned about the file as a whole. */
export interface FileFacts extends Pick<DatasetAnalysis, 'encoding' | 'sha256' | 'sizeBytes' | 'fileMetadata' | 'consultantProfile' | 'vertical'> {
  formatSpec: string | null;
  version: string | null;
  /** The file's own quality_summary, if it declares one. */
  declaredQuality: Record<string, unknown> | null;
  /** JSONL `_meta.total_pairs`; the pairs of a JSONL file are only the trainable ones. */
  declaredTotalPairs: number | null;
}

/**
 * Takes conversations as the readers validate them, keeps running figures in constant memory
 * (the only thing that grows is the set of conversation ids), and hands each conversation to
 * the caller.
 */
/** Where a conversation sits in the file, for reporting a repeated id. */
export interface ConversationLines {
  firstLine: number;
  lastLine: number;
}

export class AnalysisBuilder {
  /** Each conversation id seen, with the lines it was read from. */
  private readonly conversationIds = new Map<string, ConversationLines>();
  private readonly quality = new QualityAccumulator();
  private readonly tokens = new TokenStatsAccumulator();
  private readonly scaffolding = new ScaffoldingAccumulator();
  pairCount = 0;
  trainablePairCount = 0;

  constructor(
    private readonly onConversation: (conversation: ConversationRecord) => Promise<void> | void,
    private readonly problems: ProblemLog,
  ) {}

  get conversationCount(): number {
    return this.conversationIds.size;
  }

  /**
   * Takes one conversation read from `lines`. `valid` false: it was refused (its problem is
   * logged) and is only remembered, so that a repeat of its id is still recognised.
   */
  async add(conversation: ConversationRecord, lines: ConversationLines, valid = true): Promise<void> {
    const id = conversation.conversationId;
    const earlier = this.conversationIds.get(id);
    if (earlier !== undefined) {
      // One conversation in two places: merging would misnumber its turns and index it twice.
      const first = earlier.firstLine === earlier.lastLine ? `line ${earlier.firstLine}` : `lines ${earlier.firstLine}–${earlier.lastLine}`;
      this.problems.add('INVALID_CONTENT', {
        line: lines.firstLine,
        conversation: id,
        message:
          `line ${lines.firstLine}: conversation ${id} already appeared at ${first}; a conversation must appear once, ` +
          'with all its pairs together — merge the two parts or give one of them its own conversation_id.',
      });
      return;
    }
    this.conversationIds.set(ownCopy(id), { ...lines });
    if (!valid) return;
    this.scaffolding.addConversation(conversation);
    this.pairCount += conversation.pairCount;
    this.trainablePairCount += conversation.trainablePairCount;
    // Once the file is known to be invalid, only the counting above still matters.
    if (this.problems.size > 0) return;
    for (const pair of conversation.pairs) {
      if (pair.targetResponse === null) continue;
      this.quality.addTrainablePair(pair);
      this.tokens.addTrainablePair(pair);
    }
    await this.onConversation(conversation);
  }

  finish(facts: FileFacts): DatasetAnalysis {
    const qualitySummary = this.quality.summary(facts.declaredQuality);
    return {
      ok: true,
      encoding: facts.encoding,
      sha256: facts.sha256,
      sizeBytes: facts.sizeBytes,
      fileMetadata: facts.fileMetadata,
      consultantProfile: facts.consultantProfile,
      vertical: facts.vertical,
      conversationCount: this.conversationCount,
      trainingPairCount: facts.declaredTotalPairs ?? this.pairCount,
      trainablePairCount: this.trainablePairCount,
      tokenStats: this.tokens.stats(),
      qualitySummary,
      scaffolding: this.scaffolding.summary(),
      readiness: assessReadiness({
        encoding: facts.encoding,
        formatSpec: facts.formatSpec,
        version: facts.version,
        trainablePairCount: this.trainablePairCount,
        averageQuality: qualitySummary.average,
        humanReviewedCount: qualitySummary.humanReviewedCount,
      }),
    };
  }
}
