// The seven emotional arcs of the full dataset (weights follow its published distribution).
// Each arc moves the client from a starting emotion to an ending one over three stages.

export interface Emotion {
  primary: string;
  secondary: string;
  intensity: number;
}

export type Stage = 'early' | 'middle' | 'late';

export interface Arc {
  key: string;
  label: string;
  weight: number;
  emotions: Record<Stage, Emotion>;
  /** What the client says about how they feel, by stage. */
  client: Record<Stage, readonly string[]>;
  /** How the advisor meets that feeling, by stage; {first} is the client's first name. */
  advisor: Record<Stage, readonly string[]>;
  phase: string;
  outcome: string;
}

export const ARCS: readonly Arc[] = [
  {
    key: 'confusion_to_clarity',
    label: 'Confusion → Clarity',
    weight: 60,
    emotions: { early: { primary: 'confusion', secondary: 'uncertainty', intensity: 0.75 }, middle: { primary: 'curiosity', secondary: 'cautious_hope', intensity: 0.55 }, late: { primary: 'clarity', secondary: 'confidence', intensity: 0.7 } },
    client: {
      early: ["I honestly don't understand how the pieces fit together.", 'Everyone tells me something different and I end up doing nothing.'],
      middle: ['Okay, that framing actually helps.', 'That makes more sense than anything I read online.'],
      late: ['I think I finally see the whole picture.', 'This is the first time it has felt clear instead of foggy.'],
    },
    advisor: {
      early: ['{first}, that confusion makes complete sense — this is genuinely complicated, and nobody hands you a map.', 'First, nothing about this question is silly; the information out there really is contradictory.'],
      middle: ["{first}, you're asking exactly the right question now.", "I can hear this starting to click for you, and that's worth noticing."],
      late: ['{first}, you just explained the plan back to me better than most people could — that is real clarity.', "You've gone from a tangle of options to one clear path, and you did the work to get there."],
    },
    phase: 'clarifying_options',
    outcome: 'Turn a confusing set of options into one clear, ordered plan the client can explain back',
  },
  {
    key: 'couple_conflict_to_alignment',
    label: 'Couple Conflict → Alignment',
    weight: 59,
    emotions: { early: { primary: 'frustration', secondary: 'resentment', intensity: 0.8 }, middle: { primary: 'openness', secondary: 'guarded_hope', intensity: 0.55 }, late: { primary: 'alignment', secondary: 'partnership', intensity: 0.7 } },
    client: {
      early: ['My partner and I keep having the same argument about this, and it is getting tense.', "We can't talk about money without one of us getting defensive."],
      middle: ["I hadn't thought of it as us wanting the same thing in different ways.", 'I think my partner would actually agree with that.'],
      late: ['For the first time it feels like we are on the same team with this.', 'I think we can sit down together this weekend and agree on it.'],
    },
    advisor: {
      early: ['{first}, money arguments between partners are almost never about the numbers — they are about what the money means to each of you.', 'It makes sense that this feels tense; you both care, just about different risks.'],
      middle: ["That's a generous way to see your partner's side, and it opens a lot of doors.", 'Notice that you both want security; you just picture it differently.'],
      late: ['{first}, a shared plan you both chose beats a perfect plan only one of you believes in.', "You've turned a recurring fight into a joint decision — that is a big shift."],
    },
    phase: 'joint_decision_making',
    outcome: 'Help the couple name shared values and agree on one plan with a check-in date',
  },
  {
    key: 'overwhelm_to_empowerment',
    label: 'Overwhelm → Empowerment',
    weight: 42,
    emotions: { early: { primary: 'overwhelm', secondary: 'paralysis', intensity: 0.85 }, middle: { primary: 'relief', secondary: 'focus', intensity: 0.5 }, late: { primary: 'empowerment', secondary: 'determination', intensity: 0.75 } },
    client: {
      early: ['There are so many moving parts that I just freeze.', 'It feels like every option has a catch and I am out of energy.'],
      middle: ['One step at a time feels doable.', 'Breaking it down like that takes some of the weight off.'],
      late: ['I actually feel like I can handle this now.', "I'm ready to do the first step this week."],
    },
    advisor: {
      early: ["{first}, feeling overwhelmed here isn't a character flaw — it's what happens when everything arrives at once.", "Let's set down everything except one decision."],
      middle: ['You just turned a mountain into a single step, and that matters.', '{first}, that relief you are feeling is information: small steps work for you.'],
      late: ["{first}, you're not the person who freezes on this anymore — you have a plan and a first move.", 'You now own this decision instead of it owning you.'],
    },
    phase: 'breaking_down_steps',
    outcome: 'Replace overwhelm with a short, ordered list and one committed first step',
  },
  {
    key: 'shame_to_acceptance',
    label: 'Shame → Acceptance',
    weight: 42,
    emotions: { early: { primary: 'shame', secondary: 'embarrassment', intensity: 0.85 }, middle: { primary: 'vulnerability', secondary: 'relief', intensity: 0.6 }, late: { primary: 'acceptance', secondary: 'self_compassion', intensity: 0.65 } },
    client: {
      early: ["I'm honestly embarrassed to even say this out loud.", 'I feel like I should know better at my age.'],
      middle: ["It helps to hear that I'm not the only one.", 'I have never told anyone the real numbers before.'],
      late: ["I think I can stop beating myself up about the past and just fix what's in front of me.", 'It feels lighter to have said it and have a plan.'],
    },
    advisor: {
      early: ['{first}, thank you for telling me — there is no judgment here, and what you are describing is far more common than you think.', 'The fact that you are looking at this now says more about you than how it got here.'],
      middle: ['{first}, naming the real numbers is the hardest part, and you just did it.', 'Past decisions were made with the information and energy you had then.'],
      late: ["{first}, that shift from blame to action is exactly what makes the plan stick.", 'You can hold the past lightly now and focus on the next step.'],
    },
    phase: 'normalizing_and_rebuilding',
    outcome: 'Normalize the situation explicitly and move from self-blame to a recovery plan',
  },
  {
    key: 'hostility_to_boundary',
    label: 'Hostility → Boundary',
    weight: 13,
    emotions: { early: { primary: 'anger', secondary: 'distrust', intensity: 0.85 }, middle: { primary: 'skepticism', secondary: 'irritation', intensity: 0.6 }, late: { primary: 'respect', secondary: 'calm', intensity: 0.5 } },
    client: {
      early: ["Frankly, I don't trust advisors — the last one cost me a lot of money.", 'Just tell me what you get paid for pushing this, because someone always is.'],
      middle: ['Fine, that is a straighter answer than I expected.', "I'm still skeptical, but go on."],
      late: ['All right. I appreciate that you did not just tell me what I wanted to hear.', 'That is fair. I can work with that.'],
    },
    advisor: {
      early: ["{first}, your distrust makes sense after what happened, and I'd rather earn trust than ask for it. I'm fee-only: I'm not paid by any product I mention.", 'I want to help, and I also need our conversation to stay respectful so I can do that well.'],
      middle: ["{first}, I'll keep giving you straight answers, including when the answer is 'it depends'.", 'Your skepticism is useful — keep checking my reasoning.'],
      late: ['{first}, thank you for staying in the conversation; clear limits on both sides make better advice possible.', 'We can keep working together on these terms.'],
    },
    phase: 'boundary_setting',
    outcome: 'Acknowledge the anger, state a professional boundary calmly and keep helping within it',
  },
  {
    key: 'crisis_to_referral',
    label: 'Crisis → Referral',
    weight: 13,
    emotions: { early: { primary: 'panic', secondary: 'despair', intensity: 0.9 }, middle: { primary: 'distress', secondary: 'tentative_trust', intensity: 0.7 }, late: { primary: 'supported', secondary: 'steadier', intensity: 0.55 } },
    client: {
      early: ["I got a notice this morning and I'm panicking — I don't know where to turn.", "Things are falling apart faster than I can keep up and I can't think straight."],
      middle: ['Okay. I can make that call.', "I didn't know that kind of help existed."],
      late: ['I feel a little steadier knowing someone is going to help me with this part.', "I'll call them today and come back to you after."],
    },
    advisor: {
      early: ['{first}, I\'m really glad you reached out, and I want to slow down with you — right now the priority is getting you the right kind of help quickly.', 'What you are facing needs a specialist alongside me, and that is not a failure on your part.'],
      middle: ['{first}, a HUD-approved housing counselor or a nonprofit credit counselor (NFCC member) can act on this faster than a financial plan can, and their help is free or low-cost.', "If you ever feel unsafe or unable to cope, call or text 988 any time — you don't have to carry this alone."],
      late: ["{first}, making that call is the most important financial move you'll make this month.", "Once the immediate pressure is handled, we'll rebuild the plan together."],
    },
    phase: 'crisis_detection_and_referral',
    outcome: 'Prioritize safety and stability, refer to the right specialist, and agree on a follow-up',
  },
  {
    key: 'overwhelm_to_triage',
    label: 'Overwhelm → Triage',
    weight: 13,
    emotions: { early: { primary: 'overwhelm', secondary: 'dread', intensity: 0.9 }, middle: { primary: 'focus', secondary: 'tension', intensity: 0.65 }, late: { primary: 'control', secondary: 'relief', intensity: 0.6 } },
    client: {
      early: ['Everything is due at once and I do not know what to pay first.', 'I have three bills and one paycheck and I am spinning.'],
      middle: ['So essentials first, then the rest — that I can do.', 'Having an order makes it feel less impossible.'],
      late: ['I know exactly what gets paid this week now.', 'It is still tight, but at least I am in control of it.'],
    },
    advisor: {
      early: ['{first}, when everything is urgent, we triage: housing, utilities, food and transport to work come first, in that order.', "Let's take this week only; next month can wait until next week."],
      middle: ['{first}, calling creditors before a payment is missed usually gets you options, like a hardship plan.', 'You are doing the right thing by ordering this instead of paying whoever calls loudest.'],
      late: ['{first}, you have a triage list and a script for the calls — that is control, even on a tight month.', 'We will revisit the longer-term plan once this month is covered.'],
    },
    phase: 'immediate_triage',
    outcome: 'Order obligations by consequence and leave with a this-week payment list',
  },
];
