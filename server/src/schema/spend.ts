import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';
import type { JobSpend, MonthlySpend } from '../spend/service.js';
import { ValidationError } from './errors.js';

const JobSpendRef = builder.objectRef<JobSpend>('JobSpend').implement({
  fields: (t) => ({
    jobId: t.exposeID('jobId'),
    spendUsd: t.exposeFloat('spendUsd', { description: "What the job cost within the month: GPU, plus storageUsd (its share of the model-cache volume)." }),
    storageUsd: t.exposeFloat('storageUsd', { description: "The workspace's model-cache volume attributed to the job: the volume's cost per hour (size × rate ÷ 730) × the hours its pods ran in the month; 0 without a volume. Part of spendUsd; the month's totalUsd counts the volume once, in modelCacheStorageUsd." }),
    attempts: t.exposeInt('attempts', { description: 'Attempts (pod lifetimes) of the job that ran in the month.' }),
  }),
});

const MonthlySpendRef = builder.objectRef<MonthlySpend>('MonthlySpend').implement({
  description:
    "A workspace's GPU and model-cache storage spend in one UTC month. Each attempt counts for its time inside the month × its hourly price — or RunPod's bill for it, prorated the same way — and a running attempt up to now.",
  fields: (t) => ({
    month: t.exposeString('month', { description: '"YYYY-MM".' }),
    totalUsd: t.exposeFloat('totalUsd', { description: "GPU spend of the month's jobs + modelCacheStorageUsd (the volume is counted once, not again through the jobs' storageUsd shares)." }),
    modelCacheStorageUsd: t.exposeFloat('modelCacheStorageUsd', {
      description: "The workspace's model-cache network volume(s) for their time inside the month (up to now), used by jobs or not: sizeGb × usdPerGbMonth ÷ 730 per hour (RunPod's published rate; see ModelCacheVolume.priceNote).",
    }),
    previousMonthUsd: t.exposeFloat('previousMonthUsd'),
    changeUsd: t.exposeFloat('changeUsd', { description: 'totalUsd − previousMonthUsd.' }),
    changePercent: t.exposeFloat('changePercent', { nullable: true, description: 'Null when the previous month cost nothing.' }),
    jobs: t.field({ type: [JobSpendRef], description: 'Jobs that ran in the month, most expensive first.', resolve: (s) => s.jobs }),
    budgetUsd: t.exposeFloat('budgetUsd', { nullable: true, description: "The workspace's monthly budget; null without one." }),
    budgetUsedShare: t.exposeFloat('budgetUsedShare', { nullable: true, description: 'totalUsd / budgetUsd (1 = the whole budget); null without a budget.' }),
  }),
});

builder.queryField('spend', (t) =>
  t.field({
    type: MonthlySpendRef,
    authScopes: { read: true },
    args: { month: t.arg.string({ description: '"YYYY-MM" in UTC; default: the current month.' }) },
    errors: { types: [ValidationError], dataField: { name: 'spend' } },
    resolve: async (_root, { month }, ctx) => {
      const result = await ctx.services.spend.monthly(workspaceOf(ctx), month);
      if (!result.ok) throw new ValidationError([{ field: 'month', message: result.message }]);
      return result.spend;
    },
  }),
);
