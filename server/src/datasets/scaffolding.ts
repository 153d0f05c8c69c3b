import { ownCopy } from './own-copy.js';
import type { ConversationRecord, ScaffoldingSummary } from './types.js';

/** Counts personas, arcs, topics and their combinations, once per conversation. */
export class ScaffoldingAccumulator {
  private readonly personas = new Map<string, number>();
  private readonly arcs = new Map<string, number>();
  private readonly topics = new Map<string, number>();
  private readonly combinations = new Map<string, { persona: string; arc: string; topic: string; conversations: number }>();

  addConversation(conversation: Pick<ConversationRecord, 'personaKey' | 'emotionalArcKey' | 'trainingTopicKey'>): void {
    const { personaKey: persona, emotionalArcKey: arc, trainingTopicKey: topic } = conversation;
    increment(this.personas, persona);
    increment(this.arcs, arc);
    increment(this.topics, topic);
    const key = JSON.stringify([persona, arc, topic]);
    const combination = this.combinations.get(key);
    if (combination) combination.conversations += 1;
    else this.combinations.set(key, { persona: ownCopy(persona), arc: ownCopy(arc), topic: ownCopy(topic), conversations: 1 });
  }

  summary(): ScaffoldingSummary {
    return {
      personas: sortedRecord(this.personas),
      emotionalArcs: sortedRecord(this.arcs),
      trainingTopics: sortedRecord(this.topics),
      combinations: [...this.combinations.values()].sort(
        (a, b) =>
          b.conversations - a.conversations ||
          a.persona.localeCompare(b.persona) ||
          a.arc.localeCompare(b.arc) ||
          a.topic.localeCompare(b.topic),
      ),
    };
  }
}

function increment(counts: Map<string, number>, key: string): void {
  const count = counts.get(key);
  counts.set(count === undefined ? ownCopy(key) : key, (count ?? 0) + 1);
}

/** Most frequent first, then by name: the order a chart wants. */
function sortedRecord(counts: Map<string, number>): Record<string, number> {
  const entries = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return Object.fromEntries(entries);
}
