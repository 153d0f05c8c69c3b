import type { HistoryTurn, TrainingPair } from './types.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * The pair's history without the quirk of FORMAT.md: in a trainable pair the history already
 * ends with the user message that `current_user_input` repeats, so that trailing entry is
 * dropped when it is the same text.
 */
export function historyWithoutRepeatedInput(pair: TrainingPair): HistoryTurn[] {
  const history = pair.conversationHistory;
  const last = history[history.length - 1];
  if (last && last.role === 'user' && last.content === pair.currentUserInput) return history.slice(0, -1);
  return history;
}

/** The chat a trainer sees for one pair: system, history, the user's input, then the target. */
export function toChatMessages(pair: TrainingPair): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: pair.systemPrompt }];
  for (const turn of historyWithoutRepeatedInput(pair)) messages.push({ role: turn.role, content: turn.content });
  messages.push({ role: 'user', content: pair.currentUserInput });
  if (pair.targetResponse !== null) messages.push({ role: 'assistant', content: pair.targetResponse });
  return messages;
}
