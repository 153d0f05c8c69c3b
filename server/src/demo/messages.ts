import { ARCS, type Emotion, type Stage } from './arcs.js';
import { PERSONAS } from './personas.js';
import type { ConversationPlan } from './plan.js';
import type { Random } from './prng.js';
import { TOPICS } from './topics.js';

export interface Message {
  role: 'user' | 'assistant';
  content: string;
  emotion: Emotion;
  stage: Stage;
}

const NORMALIZING = [
  'Many of the people I work with have been exactly here.',
  'This is one of the most common situations I see, and it has workable answers.',
  'You are not behind; you are starting, and that is the part most people skip.',
];
const BRIDGES = ["Here's the piece that matters most.", 'Let me explain why this works.', 'The key idea is simple, even if the paperwork is not.', 'May I walk you through the reasoning?'];
const STEP_INTROS = ['Here is one step for this week:', 'If you do only one thing before we talk again:', 'Your next step is small and specific:'];
const CHECK_INS = ['How does that land for you?', 'Does that feel doable this week?', 'What part of this feels hardest?', 'Would it help to run your own numbers through this together?'];
const FOLLOW_UPS = ['Can you explain that part again with my numbers?', 'And what if things change next year?', 'Okay, so what would you do first?', 'Is there a downside I should know about?'];
const RECAPS = [
  "Let's recap: you have the reasoning and the order of operations, and the rest is follow-through.",
  'To pull it together: one step now, a check-in after, and nothing else on your plate until then.',
  'You already did the hard part, which was looking at this honestly.',
];
const CLOSINGS = ['So the first thing I do is the step you mentioned, right?', "Thank you — what's the one thing I should do this week?", 'Can we check in after I have done that?'];

function money(value: number): string {
  return `$${String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

function numbers(random: Random): Record<string, string> {
  return {
    balance: money(random.int(50, 950) * 100),
    monthly: money(random.int(3, 48) * 50),
    rate: (random.int(31, 79) / 10).toFixed(1),
    card_rate: (random.int(179, 299) / 10).toFixed(1),
    years: String(random.int(3, 12)),
    income: money(random.int(55, 240) * 1000),
    percent: String(random.int(5, 15)),
    age: String(random.int(31, 62)),
    parent_age: String(random.int(72, 89)),
  };
}

function stageOf(turn: number, turns: number): Stage {
  const progress = turns <= 1 ? 0 : (turn - 1) / (turns - 1);
  return progress < 0.34 ? 'early' : progress < 0.67 ? 'middle' : 'late';
}

/** Takes items in a shuffled cycle, so a conversation repeats itself as little as possible. */
function cycler<T>(items: readonly T[], random: Random): () => T {
  const order = [...items];
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let next = 0;
  return () => order[next++ % order.length]!;
}

/** The conversation's messages, turn 1 first: odd turns are the client's, even the advisor's. */
export function composeMessages(plan: ConversationPlan, random: Random): Message[] {
  const persona = PERSONAS[plan.personaIndex]!;
  const first = persona.names[plan.nameIndex]!.name.split(' ')[0]!;
  const arc = ARCS[plan.arcIndex]!;
  const topic = TOPICS[plan.topicIndex]!;
  const values = { ...numbers(random), first };
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (match, key: string) => values[key as keyof typeof values] ?? match);
  const details = cycler(topic.details, random);
  const questions = cycler(topic.questions, random);
  const lessons = cycler(topic.lessons, random);
  const steps = cycler(topic.steps, random);
  const asides = cycler(persona.asides, random);
  const adaptations = cycler(persona.adaptations, random);

  const messages: Message[] = [];
  for (let turn = 1; turn <= plan.turns; turn++) {
    const stage = stageOf(turn, plan.turns);
    const base = arc.emotions[stage];
    const emotion = { ...base, intensity: Math.round((base.intensity + (random.next() - 0.5) * 0.1) * 100) / 100 };
    const feeling = random.pick(arc.client[stage]);
    let parts: string[];
    if (turn % 2 === 1) {
      const isLastQuestion = turn >= plan.turns - 1;
      if (turn === 1) parts = [random.pick(persona.openers), details(), feeling, questions()];
      else if (isLastQuestion) parts = [feeling, random.pick(CLOSINGS)];
      else parts = [feeling, random.chance(0.5) ? details() : questions(), random.chance(0.5) ? asides() : random.pick(FOLLOW_UPS)];
      messages.push({ role: 'user', content: fill(parts.join(' ')), emotion, stage });
      continue;
    }
    const opening = [random.pick(arc.advisor[stage]), stage === 'early' ? random.pick(NORMALIZING) : ''].filter(Boolean).join(' ');
    const teaching = [stage === 'late' ? random.pick(RECAPS) : random.pick(BRIDGES), stage === 'late' ? '' : lessons(), adaptations()]
      .filter(Boolean)
      .join(' ');
    const next = [random.pick(STEP_INTROS), steps(), random.pick(CHECK_INS)].join(' ');
    messages.push({ role: 'assistant', content: fill([opening, teaching, next].join('\n\n')), emotion, stage });
  }
  return messages;
}
