// V8 represents a substring of 13 or more characters as a view into its parent string. Text
// from the JSON parser is cut out of its input buffers, so keeping one short id for the
// whole analysis would keep a whole input chunk alive with it. Strings kept beyond one
// conversation go through ownCopy first.

const SHARED_SUBSTRING_MIN_LENGTH = 13;

/** The same text in a string of its own (joining code points builds a fresh string). */
export function ownCopy(text: string): string {
  return text.length < SHARED_SUBSTRING_MIN_LENGTH ? text : Array.from(text).join('');
}
