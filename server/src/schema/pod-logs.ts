import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';
import type { PodLogLine } from '../training/providers/provider.js';
import { MAX_LOG_LINES, type PodLogs } from '../training/pod-logs.js';
import { TrainingJobRef } from './jobs.js';

const LogSourceEnum = builder.enumType('PodLogSource', {
  values: { CONTAINER: { description: "The trainer's stdout and stderr." }, SYSTEM: { description: "The provider's own messages about the pod." } } as const,
});

const PodLogLineRef = builder.objectRef<PodLogLine>('PodLogLine').implement({
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', nullable: true, description: "When the provider stamped it; null when it does not (the local provider's log file)." }),
    source: t.field({ type: LogSourceEnum, resolve: (l) => l.source }),
    message: t.exposeString('message'),
  }),
});

const PodLogsRef = builder.objectRef<PodLogs>('PodLogs').implement({
  description: "The output of a job's latest pod.",
  fields: (t) => ({
    podId: t.exposeString('podId'),
    attempt: t.exposeInt('attempt', { description: 'The attempt that pod belongs to.' }),
    lines: t.field({ type: [PodLogLineRef], description: 'Oldest first.', resolve: (l) => l.lines }),
  }),
});

const checkLines = (value: number, name: string) => {
  if (!Number.isInteger(value) || value < 0 || value > MAX_LOG_LINES) {
    throw new GraphQLError(`${name} must be 0–${MAX_LOG_LINES} (got ${value})`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
};

builder.objectField(TrainingJobRef, 'logs', (t) =>
  t.field({
    type: PodLogsRef,
    nullable: true,
    description: `The last \`lines\` lines (default 100, at most ${MAX_LOG_LINES}) of the latest pod's output; null before the job has a pod. Live: the podLogs subscription.`,
    args: { lines: t.arg.int({ defaultValue: 100 }) },
    resolve: (job, { lines }, ctx) => ctx.services.podLogs.recent(job, checkLines(lines ?? 100, 'lines')),
  }),
);

builder.subscriptionField('podLogs', (t) =>
  t.field({
    type: PodLogLineRef,
    description: `The latest pod's output of a job: the last \`tail\` lines (default 100, at most ${MAX_LOG_LINES}), then each new line as it is printed; completes when the pod's output ends (a resumed job's next pod: subscribe again). An unknown id ends the subscription with one NOT_FOUND error.`,
    authScopes: { read: true },
    args: { jobId: t.arg.id({ required: true, bounds: { idOf: 'job' } }), tail: t.arg.int({ defaultValue: 100 }) },
    subscribe: async function* (_root, { jobId, tail }, ctx) {
      const count = checkLines(tail ?? 100, 'tail');
      const job = await ctx.services.jobQueries.find(workspaceOf(ctx), String(jobId));
      if (!job) throw new GraphQLError(`No training job with id "${jobId}" in this workspace`, { extensions: { code: 'NOT_FOUND' } });
      const controller = new AbortController();
      try {
        yield* ctx.services.podLogs.follow(job, count, controller.signal);
      } finally {
        controller.abort();
      }
    },
    resolve: (line) => line as PodLogLine,
  }),
);
