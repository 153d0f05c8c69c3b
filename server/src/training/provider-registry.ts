import type { Config } from '../config/config.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { ValidationError } from '../errors.js';
import type { ProviderName, TrainingProvider } from './providers/provider.js';
import { createProvider, type ProviderHooks } from './providers/select.js';
import { trainerInstalled } from './providers/local.js';

export interface ProviderInfo {
  name: ProviderName;
  simulated: boolean;
  isDefault: boolean;
  /** What it still needs before it can launch (for this workspace, when one was given); null: ready. */
  setupHint: string | null;
}

/**
 * The providers this server can run jobs on: the default (BRIGHTRUN_PROVIDER, or chosen
 * automatically) plus every other real one — RunPod always (with the server's RUNPOD_API_KEY, or
 * each workspace's own key from its settings: without either it is listed with a setup hint and
 * refused at start), local when BRIGHTRUN_TRAINER_PYTHON names an installed trainer. The demo
 * simulation is offered only as the default.
 * Each has its own supervisor (a supervisor drives the jobs of one provider).
 */
export class ProviderRegistry {
  readonly default: TrainingProvider;
  private readonly providers = new Map<ProviderName, TrainingProvider>();

  constructor(config: Config, prisma: PrismaClient, hooks: ProviderHooks = {}) {
    this.default = createProvider(config, prisma, hooks);
    this.providers.set(this.default.name, this.default);
    if (!this.providers.has('runpod')) this.providers.set('runpod', createProvider({ ...config, provider: 'runpod' }, prisma, hooks));
    // Training on the API server's own machine only when asked for by name (BRIGHTRUN_TRAINER_PYTHON),
    // never just because a trainer happens to be installed.
    if (!this.providers.has('local') && config.trainerPython && trainerInstalled(config.trainerPython)) {
      this.providers.set('local', createProvider({ ...config, provider: 'local' }, prisma));
    }
  }

  all(): TrainingProvider[] {
    return [...this.providers.values()];
  }

  /** Every provider; with a workspace's settings, whether each is ready for that workspace. */
  list(workspace?: { runpodApiKeySet: boolean }): ProviderInfo[] {
    return this.all().map((p) => ({
      name: p.name, simulated: p.simulated, isDefault: p === this.default,
      setupHint: p.missingCredentials?.(workspace ?? { runpodApiKeySet: false }) ?? null,
    }));
  }

  /** The named provider, or the default; an unconfigured name is refused with the ones there are. */
  get(name?: ProviderName | null): TrainingProvider {
    if (!name) return this.default;
    const provider = this.providers.get(name);
    if (!provider) {
      throw new ValidationError([{ field: 'provider', message: `${name.toUpperCase()} is not configured on this server; choose one of ${[...this.providers.keys()].map((n) => n.toUpperCase()).join(', ')} (trainingCatalog.providers)` }]);
    }
    return provider;
  }

  async close(): Promise<void> {
    for (const provider of this.all()) await provider.close?.();
  }
}
