import type { DatasetProblem, DatasetProblemKind, DatasetProblems } from './types.js';

export const MAX_LISTED_PROBLEMS = 50;

// When one file has several kinds of problem, the result is named after the most fundamental:
// there is no point reporting field types in a file that is not even the right format.
const SEVERITY: Record<DatasetProblemKind, number> = {
  TOO_LARGE: 5,
  EMPTY: 4,
  WRONG_FORMAT: 3,
  INVALID_JSON: 2,
  INVALID_CONTENT: 1,
};

/** Collects problems: keeps the first few for the report and counts all of them. */
export class ProblemLog {
  private readonly listed: DatasetProblem[] = [];
  private count = 0;
  private worst: DatasetProblemKind | null = null;

  add(kind: DatasetProblemKind, problem: DatasetProblem): void {
    this.count += 1;
    if (this.listed.length < MAX_LISTED_PROBLEMS) this.listed.push(problem);
    if (this.worst === null || SEVERITY[kind] > SEVERITY[this.worst]) this.worst = kind;
  }

  get size(): number {
    return this.count;
  }

  result(): DatasetProblems {
    if (this.worst === null) throw new Error('ProblemLog.result() called without problems');
    return { ok: false, kind: this.worst, problems: [...this.listed], problemCount: this.count };
  }
}

/** A short, printable rendering of a value for "(got …)" in messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `the text ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} bytes`;
}
