// Client personas of the demo generator: the three archetypes of the real dataset. Their
// lines are written for this generator; {placeholders} are filled per conversation.

export interface Persona {
  key: string;
  title: string;
  names: readonly { name: string; age: number; gender: string }[];
  background: string;
  /** Said near the start of a client's first message. */
  openers: readonly string[];
  /** Asides that give later messages the persona's voice. */
  asides: readonly string[];
  /** What the advisor adapts to this persona. */
  adaptations: readonly string[];
}

export const PERSONAS: readonly Persona[] = [
  {
    key: 'anxious_planner',
    title: 'The Anxious Planner',
    names: [
      { name: 'Priya Shah', age: 41, gender: 'female' },
      { name: 'Daniel Okafor', age: 38, gender: 'male' },
      { name: 'Hannah Weiss', age: 45, gender: 'female' },
      { name: 'Sofia Ramirez', age: 36, gender: 'female' },
    ],
    background:
      'Careful saver with a steady salary who researches every decision and still second-guesses it. Worries about worst cases, ' +
      'reads too many conflicting articles, and needs reassurance backed by specific numbers.',
    openers: [
      "I've been losing sleep over this and I finally decided to ask someone.",
      "I've read so many articles that I'm more confused than when I started.",
      'I keep running the numbers in a spreadsheet at midnight and getting a different answer every time.',
      "I'm the kind of person who plans everything, so it scares me that I can't figure this one out.",
    ],
    asides: [
      "What if I get this wrong and it can't be undone?",
      "Sorry, I know I'm asking a lot of questions.",
      "I just want to be sure I'm not missing something obvious.",
      'My worry is that one bad year wipes everything out.',
    ],
    adaptations: [
      'Let me give you the exact numbers so you can see this on paper rather than in your head at midnight.',
      'We can build in a safety margin, so even the cautious version of this plan works.',
      'There is no deadline tonight; we can check each step before you commit to anything.',
    ],
  },
  {
    key: 'overwhelmed_avoider',
    title: 'The Overwhelmed Avoider',
    names: [
      { name: 'Marcus Chen', age: 37, gender: 'male' },
      { name: 'Jordan Ellis', age: 33, gender: 'nonbinary' },
      { name: 'Tasha Brooks', age: 40, gender: 'female' },
      { name: 'Ryan Kowalski', age: 44, gender: 'male' },
    ],
    background:
      'Good income but paralyzed by complexity; has unopened statements and postponed decisions. Avoids looking at accounts because ' +
      'it brings up guilt, and shuts down when handed too many options at once.',
    openers: [
      "Honestly, I've been putting this off for months.",
      "There's a pile of unopened statements on my counter and I can't make myself deal with it.",
      'Every time I try to look at this I end up closing the laptop.',
      "I'm a little embarrassed that I'm only dealing with this now.",
    ],
    asides: [
      'Can we keep it to one thing at a time?',
      'I know I should have done this years ago.',
      'This is already a lot for me.',
      'I tend to freeze when there are too many choices.',
    ],
    adaptations: [
      "Let's make this one small step, not a whole overhaul — you don't need to fix everything this week.",
      'You only need to do one thing before we talk again, and I will tell you exactly what it is.',
      "We'll leave the rest of the pile for later; today is only about this one decision.",
    ],
  },
  {
    key: 'pragmatic_optimist',
    title: 'The Pragmatic Optimist',
    names: [
      { name: 'Alex Rivera', age: 35, gender: 'male' },
      { name: 'Grace Liu', age: 39, gender: 'female' },
      { name: 'Sam Patel', age: 32, gender: 'male' },
      { name: 'Nina Johansson', age: 47, gender: 'female' },
    ],
    background:
      'Stable income, values-driven and optimistic about the future while practical about present constraints. Willing to make ' +
      'tradeoffs, wants direct answers and the reasoning behind them, and dislikes filler.',
    openers: [
      "Let's get straight to it — I'd like a plan I can actually follow.",
      "I'm in decent shape, I think, but I want to make a smart call here.",
      "I've done some homework and I'd like a second opinion on the numbers.",
      'I like having a plan, and I am fine with some tradeoffs if they make sense.',
    ],
    asides: [
      'Give me the numbers and I can decide.',
      "What's the tradeoff I'm not seeing?",
      "I'd rather do something good now than something perfect never.",
      'What would you do in my position?',
    ],
    adaptations: [
      "Here's the short version first, then the reasoning if you want it.",
      "I'll give you the tradeoff plainly, because you're clearly ready to make the call.",
      'You can move quickly on this; the plan holds up under reasonable assumptions.',
    ],
  },
];
