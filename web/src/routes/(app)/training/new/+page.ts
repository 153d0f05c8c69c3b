import { query } from '$lib/graphql/client';
import { useFragment } from '$lib/graphql/generated';
import { CatalogFields, ConfigDatasetFields, ConfigurationFields, ConfiguratorQuery, FrozenJobQuery, LaunchDefaultsQuery, PickDatasetQuery } from '$lib/graphql/training-config';
import type { PageLoad } from './$types';

/**
 * The configurator (UI spec P03) at /training/new?dataset_id=…; ?from_job=… starts from a job's
 * frozen configuration, and with &readonly=1 shows it read-only (P05 links there); ?configuration=…
 * starts from a saved configuration. Without a dataset the page offers the datasets to pick from.
 */
export const load = (async ({ fetch, url }) => {
  const datasetParam = url.searchParams.get('dataset_id')?.trim() || null;
  const fromJob = url.searchParams.get('from_job')?.trim() || null;
  const readonly = fromJob !== null && ['1', 'true'].includes(url.searchParams.get('readonly') ?? '');
  const configurationParam = url.searchParams.get('configuration')?.trim() || null;

  let problem: string | null = null;
  const job = fromJob ? await query(FrozenJobQuery, { id: fromJob }, fetch).then((d) => d.trainingJob, (e: Error) => ((problem = e.message), null)) : null;
  if (fromJob && !job && !problem) problem = `No training job of this workspace has the id “${fromJob}”.`;

  const datasetId = datasetParam ?? (job ? useFragment(ConfigDatasetFields, job.dataset).id : null);
  let data;
  try {
    data = await query(ConfiguratorQuery, { datasetId: datasetId ?? '', withDataset: datasetId !== null }, fetch);
  } catch (error) {
    // A malformed id is refused by the API: say so and offer the datasets instead.
    problem = `The dataset id “${datasetId}” is not valid (${(error as Error).message}).`;
    data = await query(ConfiguratorQuery, { datasetId: '', withDataset: false }, fetch);
  }
  const catalog = useFragment(CatalogFields, data.trainingCatalog);
  const dataset = data.dataset ? useFragment(ConfigDatasetFields, data.dataset) : null;
  if (datasetId && !dataset && !problem) problem = 'No dataset of this workspace has this id (it may have been deleted).';
  const configurations = data.trainingConfigurations.edges.map((e) => useFragment(ConfigurationFields, e.node));

  const admin = data.viewer.scopes.includes('ADMIN');
  const defaults = admin ? await query(LaunchDefaultsQuery, {}, fetch).then((d) => d.workspaceSettings, () => null) : null;
  const pick = dataset ? null : await query(PickDatasetQuery, {}, fetch).then((d) => d.datasets.edges.map((e) => useFragment(ConfigDatasetFields, e.node)));

  return {
    catalog,
    dataset,
    configurations,
    defaults,
    pick,
    problem,
    job: job ? { ...job, estimate: job.estimate, dataset: useFragment(ConfigDatasetFields, job.dataset) } : null,
    readonly,
    configurationId: configurationParam,
  };
}) satisfies PageLoad;
