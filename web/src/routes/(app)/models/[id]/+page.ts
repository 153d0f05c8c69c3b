import { error } from '@sveltejs/kit';
import { query } from '$lib/graphql/client';
import { LossCurveQuery, ModelQuery, ModelVersionsQuery } from '$lib/graphql/models';
import type { PageLoad } from './$types';

/**
 * The model page (P05): the artifact, every version trained on its dataset, and its loss curves.
 *
 * Where each section's figures come from (prisma/schema.prisma `ModelArtifact`, via the v1 API):
 * - header: `name` ({Dataset}-{Preset}-{date}, set at completion), `status`, `createdAt`,
 *   `baseModel`, `version` (per dataset; demo artifacts count apart), `isSimulated`.
 * - download: `files` [{ name, sizeBytes, sha256 }] stored under `storagePrefix`
 *   (`artifacts/<workspace>/<job>/<file>` in the artifacts bucket, local folder or Supabase
 *   Storage); `downloadUrl` is a signed GET link for an hour, served with single byte ranges.
 * - quality: `initialLoss`, `finalLoss`, `evalLoss`, `perplexity`, `qualityRating` and
 *   `quality` (the derivation, server/src/training/trainer-api/quality.ts).
 * - training summary, configuration: the job (`jobId`): frozen `hyperparameters`, `estimate`,
 *   `spendUsd` and its `attempts`, `stages`; `summary` is the trainer's run summary.
 * - lineage: dataset (`datasetId`) → /datasets/<id>; configuration → /training/new?from_job=<job>
 *   &readonly=1 (the configurator, read-only); job → /training/jobs/<job>; the dataset page lists
 *   its models back (DatasetModels).
 */
export const load = (async ({ fetch, params }) => {
  const data = await query(ModelQuery, { id: params.id }, fetch);
  if (!data.modelArtifact) error(404, 'No model of this workspace has this id (it may have been deleted).');
  const model = data.modelArtifact;
  const [versions, curve] = await Promise.all([
    query(ModelVersionsQuery, { datasetId: model.dataset.id }, fetch),
    query(LossCurveQuery, { jobId: model.job.id, maxPoints: 400 }, fetch),
  ]);
  return { model, versions: versions.modelArtifacts, curve };
}) satisfies PageLoad;
