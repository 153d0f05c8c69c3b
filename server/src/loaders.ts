import DataLoader from 'dataloader';
import type { Dataset, JobAttempt, JobEvent, ModelArtifact, TrainingConfiguration, TrainingJob } from './generated/prisma/client.js';
import type { StoredPoint } from './metrics/history.js';
import type { PaceSample } from './training/jobs/queries.js';
import type { Services } from './services.js';

// One set of loaders per request: every per-row lookup of a list (a job's dataset, attempts,
// latest metrics…) is collected during a tick and read with one statement for all the rows.
// Loaders never check the workspace: they only follow ids from rows already scoped to it.

const byId = <T extends { id: string }>(rows: T[], ids: readonly string[]) => {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
};
// No memoization: a subscription keeps its context (and loaders) for many events, and each must
// read fresh rows. Batching within a tick is what bounds the statements.
const NO_CACHE = { cache: false } as const;

const fromMap = <V>(map: Map<string, V>, ids: readonly string[], empty: V) => ids.map((id) => map.get(id) ?? empty);

export function createLoaders(services: Services) {
  const jobs = services.jobQueries;
  const recentEvents = new Map<number, DataLoader<string, JobEvent[]>>();
  type Latest = { train: StoredPoint | null; eval: StoredPoint | null };
  const latestMetrics = new DataLoader<string, Latest>(async (ids) => fromMap(await jobs.latestMetrics(ids), ids, { train: null, eval: null }), NO_CACHE);
  // Values a resolver already read with its row (see trainingJob): used once, so a subscription's
  // later events still read fresh rows.
  const primedLatest = new Map<string, Latest>();
  return {
    dataset: new DataLoader<string, Dataset | null>(async (ids) => byId(await services.datasetLookup.byIds(ids), ids), NO_CACHE),
    job: new DataLoader<string, TrainingJob | null>(async (ids) => byId(await jobs.byIds(ids), ids), NO_CACHE),
    configuration: new DataLoader<string, TrainingConfiguration | null>(async (ids) => byId(await jobs.configurations(ids), ids), NO_CACHE),
    attempts: new DataLoader<string, JobAttempt[]>(async (ids) => fromMap(await jobs.attempts(ids), ids, []), NO_CACHE),
    stageEvents: new DataLoader<string, JobEvent[]>(async (ids) => fromMap(await jobs.stageEvents(ids), ids, []), NO_CACHE),
    artifactOfJob: new DataLoader<string, ModelArtifact | null>(async (ids) => fromMap<ModelArtifact | null>(await jobs.artifacts(ids), ids, null), NO_CACHE),
    latestMetrics: {
      load(jobId: string): Promise<Latest> {
        const primed = primedLatest.get(jobId);
        if (!primed) return latestMetrics.load(jobId);
        primedLatest.delete(jobId);
        return Promise.resolve(primed);
      },
      /** Hands the next load of this job the value read with its row. */
      prime(jobId: string, value: Latest): void {
        primedLatest.set(jobId, value);
      },
    },
    pace: new DataLoader<string, PaceSample[]>(async (ids) => fromMap(await jobs.pace(ids), ids, []), NO_CACHE),
    /** The newest `last` events of a job; jobs asked with the same `last` share one statement. */
    recentEvents(last: number) {
      let loader = recentEvents.get(last);
      if (!loader) {
        loader = new DataLoader<string, JobEvent[]>(async (ids) => fromMap(await jobs.recentEvents(ids, last), ids, []), NO_CACHE);
        recentEvents.set(last, loader);
      }
      return loader;
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
