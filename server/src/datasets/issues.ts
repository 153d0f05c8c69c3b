import type { z } from 'zod';
import { describeValue } from './problems.js';
import type { DatasetProblem } from './types.js';

/** Where a validated value sits in the file, for the problem's fields and message. */
export interface ProblemLocation {
  line?: number;
  conversation?: string | number;
  /** Human-readable place, e.g. `line 17` or `conversations[3] training_pairs[2]`. */
  place: string;
  /** Path of the validated value inside the conversation, e.g. `training_pairs[2]`. */
  fieldPrefix?: string;
}

type PathSegment = PropertyKey;

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function joinField(prefix: string | undefined, path: string): string {
  if (!prefix) return path;
  if (path === '') return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

/** Turns zod issues into problems whose messages name the place, the field and the fix. */
export function issuesToProblems(
  issues: readonly z.core.$ZodIssue[],
  value: unknown,
  at: ProblemLocation,
): DatasetProblem[] {
  return issues.map((issue) => {
    const field = joinField(at.fieldPrefix, formatPath(issue.path));
    const actual = valueAt(value, issue.path);
    const subject = field === '' ? 'the value' : `field "${field}"`;
    const sentence =
      actual === undefined && issue.path.length > 0
        ? `${subject} is missing: it ${issue.message}`
        : `${subject} ${issue.message} (got ${describeValue(actual)})`;
    const problem: DatasetProblem = { message: `${at.place}: ${sentence}` };
    if (at.line !== undefined) problem.line = at.line;
    if (at.conversation !== undefined) problem.conversation = at.conversation;
    if (field !== '') problem.field = field;
    return problem;
  });
}
