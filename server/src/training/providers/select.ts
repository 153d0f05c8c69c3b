import path from 'node:path';
import type { Config } from '../../config/config.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { TrainingProvider } from './provider.js';
import { DemoProvider } from './demo.js';
import { DEFAULT_TRAINER_PYTHON, LocalProvider, trainerInstalled } from './local.js';
import { RunPodProvider, type RunPodProviderOptions } from './runpod-provider.js';

/**
 * BRIGHTRUN_PROVIDER, or automatically: a RunPod key → runpod; an installed trainer → local;
 * else the labelled demo simulation.
 */
export interface ProviderHooks {
  /** A workspace's own RunPod key (settings), used for its pods before the server's RUNPOD_API_KEY. */
  runpodApiKeyFor?: (workspaceId: string) => Promise<string | null>;
  /** A workspace's model-cache network volume (settings), which its RunPod pods mount and are pinned by. */
  modelCacheFor?: RunPodProviderOptions['modelCacheFor'];
}

export function createProvider(config: Config, prisma: PrismaClient, hooks: ProviderHooks = {}): TrainingProvider {
  const python = config.trainerPython ?? DEFAULT_TRAINER_PYTHON;
  const choice = config.provider !== 'auto' ? config.provider : config.runpod.apiKey ? 'runpod' : trainerInstalled(python) ? 'local' : 'demo';
  switch (choice) {
    case 'runpod':
      return new RunPodProvider({
        apiKey: config.runpod.apiKey,
        apiKeyFor: hooks.runpodApiKeyFor,
        modelCacheFor: hooks.modelCacheFor,
        restUrl: config.runpod.restUrl,
        graphqlUrl: config.runpod.graphqlUrl,
        image: config.runpod.trainerImage,
      });
    case 'local':
      if (!trainerInstalled(python)) {
        throw new Error(`BRIGHTRUN_PROVIDER=local needs the trainer: run \`npm run trainer:setup\` (looked for ${python})`);
      }
      return new LocalProvider({ python, logDir: path.join(config.dataDir, 'logs') });
    case 'demo':
      return new DemoProvider({
        speedup: config.demoSpeedup,
        jobShape: async (jobId) => {
          const job = await prisma.trainingJob.findUniqueOrThrow({ where: { id: jobId } });
          const estimate = job.estimate as { totalSteps?: number; hours?: { low: number; high: number } };
          return { totalSteps: job.totalSteps ?? estimate.totalSteps ?? 1000, estimatedHours: (((estimate.hours?.low ?? 1) + (estimate.hours?.high ?? 1)) / 2) * config.demoPace };
        },
      });
  }
}
