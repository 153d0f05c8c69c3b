import { ARCS, type Emotion, type Stage } from './arcs.js';
import { PERSONAS } from './personas.js';
import type { ConversationPlan } from './plan.js';
import { Random } from './prng.js';
import { SYSTEM_PROMPT } from './profile.js';
import { TOPICS } from './topics.js';
import { composeMessages, type Message } from './messages.js';

// Turns a conversation plan into the brightrun-lora-v4 object, quirks included: one pair per
// message, user turns with target_response null, the trailing history entry repeated as
// current_user_input, and a template name as each pair's conversation_id.

const ADVISOR_STANCE: Record<Stage, Emotion> = {
  early: { primary: 'empathy', secondary: 'reassurance', intensity: 0.8 },
  middle: { primary: 'encouragement', secondary: 'clarity', intensity: 0.7 },
  late: { primary: 'affirmation', secondary: 'confidence', intensity: 0.7 },
};
const VALENCE: Record<Stage, string> = { early: 'negative', middle: 'mixed', late: 'positive' };
const DIFFICULTY = ['beginner', 'intermediate', 'advanced'];

const tenth = (value: number) => Math.round(value * 10) / 10;
const hundredth = (value: number) => Math.round(value * 100) / 100;

function historyEntry(message: Message, turn: number) {
  const { primary, secondary, intensity } = message.emotion;
  return { turn, role: message.role, content: message.content, emotional_state: { primary, secondary, intensity } };
}

export function buildConversation(plan: ConversationPlan, seed: number | string, createdDate: string) {
  const random = new Random(`${seed}:conversation:${plan.index}`);
  const persona = PERSONAS[plan.personaIndex]!;
  const client = persona.names[plan.nameIndex]!;
  const arc = ARCS[plan.arcIndex]!;
  const topic = TOPICS[plan.topicIndex]!;
  const messages = composeMessages(plan, random);
  const difficulty = random.pick(DIFFICULTY);

  const conversationMetadata = {
    client_persona: `${client.name} - ${persona.title}`,
    client_background: `Age ${client.age}, ${client.gender}; ${persona.background}`,
    session_context: `Client wants help with ${topic.context}; the conversation follows the ${arc.label} arc`,
    conversation_phase: arc.phase,
    expected_outcome: arc.outcome,
    persona_archetype: persona.key,
    emotional_arc: arc.label,
    emotional_arc_key: arc.key,
    training_topic: topic.title,
    training_topic_key: topic.key,
  };
  const start = arc.emotions.early;
  const end = arc.emotions.late;

  let trainableIndex = 0;
  const pairs = messages.map((message, index) => {
    const turn = index + 1;
    const isAdvisor = message.role === 'assistant';
    const score = isAdvisor ? plan.scores[trainableIndex]! : plan.contextScore;
    const reviewed = isAdvisor ? plan.humanReviewed[trainableIndex]! : false;
    if (isAdvisor) trainableIndex += 1;
    const emotion = isAdvisor ? ADVISOR_STANCE[message.stage] : message.emotion;
    const criterion = () => tenth(Math.min(5, Math.max(1, random.normal(score, 0.15))));
    return {
      id: `${plan.template}_turn${turn}`,
      conversation_id: plan.template,
      turn_number: turn,
      conversation_metadata: conversationMetadata,
      system_prompt: SYSTEM_PROMPT,
      conversation_history: messages.slice(0, index).map((earlier, at) => historyEntry(earlier, at + 1)),
      current_user_input: isAdvisor ? messages[index - 1]!.content : message.content,
      emotional_context: {
        detected_emotions: {
          primary: emotion.primary,
          primary_confidence: hundredth(0.7 + random.next() * 0.25),
          secondary: emotion.secondary,
          secondary_confidence: hundredth(0.55 + random.next() * 0.3),
          intensity: emotion.intensity,
          valence: VALENCE[message.stage],
        },
      },
      target_response: isAdvisor ? message.content : null,
      training_metadata: {
        difficulty_level: `${difficulty}_conversation_turn_${turn}`,
        key_learning_objective: topic.key,
        demonstrates_skills: [persona.key, arc.key],
        conversation_turn: turn,
        emotional_progression_target: `${start.primary}(${start.intensity}) → ${end.primary}(${end.intensity})`,
        quality_score: score,
        quality_criteria: {
          empathy_score: criterion(),
          clarity_score: criterion(),
          appropriateness_score: criterion(),
          brand_voice_alignment: criterion(),
        },
        human_reviewed: reviewed,
        reviewer_notes: reviewed ? 'Reviewed: tone and next step checked against the consultant profile.' : null,
        use_as_seed_example: isAdvisor && score >= 4.5,
        generate_variations_count: 0,
      },
    };
  });

  return {
    conversation_metadata: {
      conversation_id: plan.conversationId,
      source_file: `fp_conversation_${plan.conversationId}.json`,
      created_date: createdDate,
      total_turns: plan.turns,
      quality_tier: plan.qualityTier,
      scaffolding: {
        persona_key: persona.key,
        persona_name: client.name,
        emotional_arc_key: arc.key,
        emotional_arc: arc.label,
        training_topic_key: topic.key,
        training_topic: topic.title,
      },
    },
    training_pairs: pairs,
  };
}
