import { EstimateTrainingDocument, TrainingCatalogDocument, type EstimateFieldsFragment, type TrainingCatalogQuery, type TrainingPlanInput } from '../graphql/generated/graphql.js';
import { unwrap } from '../core/results.js';
import type { RequestOptions, Transport } from '../core/transport.js';

export type TrainingCatalog = TrainingCatalogQuery['trainingCatalog'];
export type Preset = TrainingCatalog['presets'][number];
export type Estimate = EstimateFieldsFragment;

/** `br.presets`: what the training configurator offers. */
export class Presets {
  constructor(private readonly transport: Transport) {}

  /** The presets (CONSERVATIVE, BALANCED, AGGRESSIVE) with their hyperparameters. */
  async list(options: RequestOptions = {}): Promise<Preset[]> {
    return (await this.catalog(options)).presets;
  }

  /** Everything the configurator offers: presets, base models, GPU types, this server's providers. */
  async catalog(options: RequestOptions = {}): Promise<TrainingCatalog> {
    const { data } = await this.transport.graphql(TrainingCatalogDocument, {}, { ...options, idempotent: true });
    return data.trainingCatalog;
  }
}

/** `br.estimates`: duration and cost of a plan. */
export class Estimates {
  constructor(private readonly transport: Transport) {}

  /** Duration and cost before you commit (the same figures `jobs.start` freezes). Throws ValidationError or NotFoundError. */
  async create(plan: TrainingPlanInput, options: RequestOptions = {}): Promise<Estimate> {
    const { data, requestId } = await this.transport.graphql(EstimateTrainingDocument, { input: plan }, { ...options, idempotent: true });
    return unwrap(data.estimateTraining, 'EstimateTrainingSuccess', requestId).estimate;
  }
}
