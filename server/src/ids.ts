import { randomBytes } from 'node:crypto';

/** The type behind each id prefix. IDs are `<prefix>_<time><random>`: sortable and readable. */
export const ID_PREFIXES = {
  ws: 'Workspace',
  key: 'ApiKey',
  ds: 'Dataset',
  cfg: 'TrainingConfiguration',
  job: 'TrainingJob',
  att: 'JobAttempt',
  ckpt: 'Checkpoint',
  art: 'ModelArtifact',
  ntf: 'Notification',
} as const;

export type IdPrefix = keyof typeof ID_PREFIXES;

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function newId(prefix: IdPrefix): string {
  const time = Date.now().toString(36).padStart(9, '0');
  const bytes = randomBytes(10);
  let random = '';
  for (const byte of bytes) random += ALPHABET[byte % 36];
  return `${prefix}_${time}${random}`;
}

export function decodeId(id: string): { typename: string; id: string } {
  const prefix = id.slice(0, id.indexOf('_')) as IdPrefix;
  const typename = ID_PREFIXES[prefix];
  if (!typename) {
    throw Object.assign(new Error(`"${id}" is not a BrightRun id (ids look like ds_…, job_…, art_…)`), {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return { typename, id };
}
