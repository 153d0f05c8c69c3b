import { graphql } from './generated';

/** The training configurator (P03): catalog, the dataset it trains, estimates, launch, saved configurations. */

export const CatalogFields = graphql(`
  fragment CatalogFields on TrainingCatalog {
    defaultBaseModel defaultGpuType defaultMaxDurationHours defaultPreset
    providers { name simulated isDefault ready setupHint }
    gpuTypes { id label memoryGb recommended description }
    baseModels { id label description parameterCount defaultQuantization minGpuMemoryGbBf16 minGpuMemoryGbNf4 requiresHuggingFaceToken }
    ranges { field group kind label help min max step options values scientificNotation }
    presets {
      key label description bestFor
      hyperparameters { loraRank loraAlpha loraDropout epochs batchSize gradientAccumulationSteps learningRate warmupRatio maxSequenceLength validationShare seed quantization lrScheduler targetModules }
    }
  }
`);

export const ConfigDatasetFields = graphql(`
  fragment ConfigDatasetFields on Dataset {
    id name format importStatus conversationCount trainingPairCount trainablePairCount averageQuality
    readiness { ready checks { key passed blocking value threshold message } }
    scaffolding { personas { key count } emotionalArcs { key count } }
    tokenStats { p95PerPair meanPerPair }
  }
`);

export const ConfigurationFields = graphql(`
  fragment ConfigurationFields on TrainingConfiguration {
    id name preset overrides baseModel gpuType cloudType maxDurationHours updatedAt
  }
`);

export const ConfiguratorQuery = graphql(`
  query Configurator($datasetId: ID!, $withDataset: Boolean!) {
    trainingCatalog { ...CatalogFields }
    dataset(id: $datasetId) @include(if: $withDataset) { ...ConfigDatasetFields }
    trainingConfigurations(first: 100) { totalCount edges { node { ...ConfigurationFields } } }
    viewer { scopes }
  }
`);

/** The workspace's launch defaults and whether a Hugging Face token is set (admin keys only). */
export const LaunchDefaultsQuery = graphql(`
  query LaunchDefaults {
    workspaceSettings { defaultPreset defaultGpuType defaultCloudType monthlyBudgetUsd huggingFaceToken { isSet } }
  }
`);

/** Datasets to pick from when the page is opened without one. */
export const PickDatasetQuery = graphql(`
  query PickDataset {
    datasets(first: 50) { totalCount edges { node { ...ConfigDatasetFields } } }
  }
`);

export const EstimateFields = graphql(`
  fragment EstimateFields on TrainingEstimate {
    hours { low high }
    totalSteps trainingPairs validationPairs tokensPerSecond throughputSource pastJobs peakMemoryGb totalTokens
    stages { stage hours { low high } }
    warnings { code message }
    cost {
      lowUsd highUsd pricePerHourUsd priceSource priceNote storageUsd bufferShare
      compute { lowUsd highUsd }
      buffer { lowUsd highUsd }
    }
  }
`);

export const EstimateTrainingQuery = graphql(`
  query EstimateTraining($input: TrainingPlanInput!) {
    estimateTraining(input: $input) {
      __typename
      ... on EstimateTrainingSuccess { estimate { ...EstimateFields } }
      ... on ValidationError { message fieldErrors { field message } }
      ... on NotFoundError { message }
    }
  }
`);

export const StartTrainingJobMutation = graphql(`
  mutation StartTrainingJob($input: StartTrainingJobInput!) {
    startTrainingJob(input: $input) {
      __typename
      ... on StartTrainingJobSuccess { job { id status isSimulated } }
      ... on BudgetExceededError { message budgetUsd spentUsd reservedUsd estimateHighUsd }
      ... on DatasetNotReadyError { message failedChecks { key message } }
      ... on ValidationError { message fieldErrors { field message } }
      ... on NotFoundError { message }
    }
  }
`);

export const SaveTrainingConfigurationMutation = graphql(`
  mutation SaveTrainingConfiguration($input: SaveTrainingConfigurationInput!) {
    saveTrainingConfiguration(input: $input) {
      __typename
      ... on SaveTrainingConfigurationSuccess { configuration { ...ConfigurationFields } }
      ... on ValidationError { message fieldErrors { field message } }
    }
  }
`);

export const DeleteTrainingConfigurationMutation = graphql(`
  mutation DeleteTrainingConfiguration($input: DeleteTrainingConfigurationInput!) {
    deleteTrainingConfiguration(input: $input) {
      __typename
      ... on DeleteTrainingConfigurationSuccess { configuration { id } }
      ... on Error { message }
    }
  }
`);

/** A job's frozen configuration: read-only view, or the start of "train again with these settings". */
export const FrozenJobQuery = graphql(`
  query FrozenJob($id: ID!) {
    trainingJob(id: $id) {
      id status preset baseModel gpuType cloudType maxDurationHours costCapUsd provider isSimulated createdAt finishedAt allowOnDemandFallback
      hyperparameters { loraRank loraAlpha loraDropout epochs batchSize gradientAccumulationSteps learningRate warmupRatio maxSequenceLength validationShare seed quantization }
      estimate { ...EstimateFields }
      dataset { ...ConfigDatasetFields }
    }
  }
`);
