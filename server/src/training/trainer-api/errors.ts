import { GraphQLError } from 'graphql';

/**
 * The trainer is a machine client: its failures are GraphQL errors with stable codes it acts on
 * (JOB_TERMINAL → stop quietly, BAD_USER_INPUT → a bug, do not retry, anything else → retry).
 */
export const trainerError = (code: 'JOB_TERMINAL' | 'BAD_USER_INPUT' | 'FORBIDDEN' | 'CHECKPOINT_EXISTS' | 'NOT_FOUND', message: string) =>
  new GraphQLError(message, { extensions: { code } });

export interface TrainerFile {
  name: string;
  sizeBytes: number;
  sha256: string;
}

const FILE_NAME = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** File lists from a trainer: relative names, real sizes, hex sha256, no repeats. */
export function checkFiles(files: TrainerFile[], field = 'files'): void {
  const problems: string[] = [];
  if (files.length === 0) problems.push(`${field}: list at least one file`);
  if (files.length > 200) problems.push(`${field}: at most 200 files (got ${files.length})`);
  const seen = new Set<string>();
  files.forEach((f, i) => {
    if (!FILE_NAME.test(f.name) || f.name.split('/').some((part) => part === '.' || part === '..')) {
      problems.push(`${field}[${i}].name: "${f.name}" must be a relative path of letters, digits, ".", "_", "-" and "/"`);
    }
    if (seen.has(f.name)) problems.push(`${field}[${i}].name: "${f.name}" is listed twice`);
    seen.add(f.name);
    if (!Number.isSafeInteger(f.sizeBytes) || f.sizeBytes < 0) problems.push(`${field}[${i}].sizeBytes: must be a whole number of bytes ≥ 0 (got ${f.sizeBytes})`);
    if (!/^[0-9a-f]{64}$/.test(f.sha256)) problems.push(`${field}[${i}].sha256: must be 64 lowercase hex characters`);
  });
  if (problems.length > 0) throw trainerError('BAD_USER_INPUT', problems.join('; '));
}
