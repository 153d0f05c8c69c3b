import { graphql } from './generated';

// P05, Model artifacts: the list (grid/table), the model page, versions, comparison, lifecycle.

export const ModelCardFields = graphql(`
  fragment ModelCardFields on ModelArtifact {
    id name version status isSimulated baseModel createdAt finalLoss evalLoss perplexity qualityRating
    dataset { id name }
    files { sizeBytes }
    job { id preset }
  }
`);

export const ModelsQuery = graphql(`
  query Models($first: Int!, $after: String, $filter: ModelArtifactFilter, $orderBy: ModelArtifactOrder) {
    modelArtifacts(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...ModelCardFields } }
    }
    all: modelArtifacts(first: 1) { totalCount }
    modelArtifactBaseModels
    datasets(first: 100, orderBy: { field: NAME, direction: ASC }) { edges { node { id name } } }
  }
`);

export const ModelQuery = graphql(`
  query Model($id: ID!) {
    modelArtifact(id: $id) {
      id name version status isSimulated baseModel createdAt updatedAt
      initialLoss finalLoss evalLoss perplexity qualityRating qualityRatingLabel summary
      quality { rating basis basisLoss perplexity perplexityRating lossImprovement minImprovement improvementPenalty explanation isSimulated scale { rating maxPerplexity } }
      files { name sizeBytes sha256 downloadUrl }
      dataset {
        id name trainingPairCount trainablePairCount conversationCount
        consultantProfile { name }
        scaffolding { personas { key count } }
      }
      job {
        id status preset provider gpuType cloudType isSimulated createdAt startedAt finishedAt
        currentStep totalSteps currentEpoch totalEpochs interruptionCount spendUsd baseModel
        configuration { id name }
        hyperparameters { loraRank loraAlpha loraDropout learningRate lrScheduler epochs batchSize gradientAccumulationSteps maxSequenceLength warmupRatio quantization targetModules validationShare seed maxSteps }
        estimate { hours { low high } cost { lowUsd highUsd pricePerHourUsd storageUsd priceSource } }
        attempts { id number cloudType pricePerHourUsd spendUsd startedAt endedAt endReason }
        stages { stage durationSeconds attempt }
      }
    }
  }
`);

export const ModelVersionsQuery = graphql(`
  query ModelVersions($datasetId: ID!) {
    modelArtifacts(first: 100, filter: { datasetId: $datasetId }, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount
      edges {
        node {
          id name version status isSimulated createdAt finalLoss evalLoss perplexity qualityRating baseModel
          files { sizeBytes }
          job { id preset spendUsd hyperparameters { loraRank loraAlpha learningRate epochs } }
        }
      }
    }
  }
`);

/** Two versions side by side: metrics, the frozen configuration of each, loss curves. */
export const CompareModelsQuery = graphql(`
  query CompareModels($a: ID!, $b: ID!) {
    a: modelArtifact(id: $a) { ...CompareSide }
    b: modelArtifact(id: $b) { ...CompareSide }
  }
`);

export const CompareSide = graphql(`
  fragment CompareSide on ModelArtifact {
    id name version status isSimulated createdAt baseModel initialLoss finalLoss evalLoss perplexity qualityRating
    dataset { id name }
    files { sizeBytes }
    job {
      id preset gpuType cloudType spendUsd currentStep totalSteps totalEpochs interruptionCount startedAt finishedAt
      hyperparameters { loraRank loraAlpha loraDropout learningRate lrScheduler epochs batchSize gradientAccumulationSteps maxSequenceLength warmupRatio quantization targetModules validationShare seed maxSteps }
    }
  }
`);

export const LossCurveQuery = graphql(`
  query LossCurve($jobId: ID!, $maxPoints: Int!) {
    train: jobMetrics(jobId: $jobId, split: TRAIN, maxPoints: $maxPoints) {
      __typename
      ... on JobMetricsSuccess { series { isSimulated points { step loss } } }
      ... on Error { message }
    }
    eval: jobMetrics(jobId: $jobId, split: EVAL, maxPoints: $maxPoints) {
      __typename
      ... on JobMetricsSuccess { series { points { step loss } } }
      ... on Error { message }
    }
  }
`);

/** The dataset page's lineage list: every model trained on it. */
export const DatasetModelsQuery = graphql(`
  query DatasetModels($datasetId: ID!) {
    modelArtifacts(first: 50, filter: { datasetId: $datasetId }) {
      totalCount
      edges { node { id name version status isSimulated createdAt evalLoss qualityRating job { id preset } } }
    }
  }
`);

export const SetModelStatusMutation = graphql(`
  mutation SetModelStatus($input: SetModelArtifactStatusInput!) {
    setModelArtifactStatus(input: $input) {
      __typename
      ... on SetModelArtifactStatusSuccess { modelArtifact { id status updatedAt } }
      ... on Error { message }
    }
  }
`);

export const DeleteModelMutation = graphql(`
  mutation DeleteModel($input: DeleteModelArtifactInput!) {
    deleteModelArtifact(input: $input) {
      __typename
      ... on DeleteModelArtifactSuccess { modelArtifact { id } }
      ... on Error { message }
    }
  }
`);
