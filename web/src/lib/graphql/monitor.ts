import { graphql } from './generated';

/** Everything the training monitor (P04) shows about a job; sent again by trainingJobUpdated. */
export const MonitorJobFields = graphql(`
  fragment MonitorJobFields on TrainingJob {
    id status substatus progress currentStep totalSteps currentEpoch totalEpochs etaSeconds
    createdAt startedAt finishedAt lastHeartbeatAt isActive isSimulated provider
    gpuType cloudType baseModel preset spendUsd costCapUsd maxDurationHours interruptionCount
    errorCode errorMessage cancelReason
    dataset { id name trainablePairCount }
    estimate { totalSteps hours { low high } cost { lowUsd highUsd pricePerHourUsd priceSource } stages { stage hours { low high } } }
    hyperparameters { learningRate epochs batchSize loraRank maxSequenceLength }
    stages { stage attempt startedAt endedAt durationSeconds }
    attempts { id number startedAt endedAt endReason exit pricePerHourUsd spendUsd cloudType }
    latestMetrics { train { step loss learningRate gradNorm tokensPerSecond gpuUtilization gpuMemoryGb perplexity } eval { step loss perplexity } }
    artifact { id name version finalLoss evalLoss }
  }
`);

export const MonitorEventFields = graphql(`
  fragment MonitorEventFields on JobEvent { id createdAt level kind rawKind message }
`);

export const MonitorJobQuery = graphql(`
  query MonitorJob($id: ID!) {
    trainingJob(id: $id) { ...MonitorJobFields events(last: 200) { ...MonitorEventFields } logs(lines: 200) { attempt podId lines { at source message } } }
    trainingCatalog { gpuTypes { id label memoryGb } }
  }
`);

export const MonitorJobUpdatedSubscription = graphql(`
  subscription MonitorJobUpdated($id: ID!) { trainingJobUpdated(id: $id) { ...MonitorJobFields events(last: 20) { ...MonitorEventFields } } }
`);

/** Points the chart and the metrics table use, both splits. */
export const MonitorPointFields = graphql(`
  fragment MonitorPointFields on MetricPoint { split step loss learningRate gradNorm tokensPerSecond gpuUtilization gpuMemoryGb perplexity epoch }
`);

export const MonitorMetricsSubscription = graphql(`
  subscription MonitorMetrics($jobId: ID!, $afterStep: Int) { trainingMetrics(jobId: $jobId, afterStep: $afterStep) { ...MonitorPointFields } }
`);

/** The downsampled history for a step range (min/max buckets past maxPoints), one split at a time. */
export const MonitorHistoryQuery = graphql(`
  query MonitorHistory($jobId: ID!, $fromStep: Int, $toStep: Int, $maxPoints: Int!) {
    train: jobMetrics(jobId: $jobId, split: TRAIN, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {
      __typename ... on JobMetricsSuccess { series { downsampled bucketSteps totalPoints points { ...MonitorPointFields } } } ... on Error { message }
    }
    eval: jobMetrics(jobId: $jobId, split: EVAL, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {
      __typename ... on JobMetricsSuccess { series { downsampled bucketSteps totalPoints points { ...MonitorPointFields } } } ... on Error { message }
    }
  }
`);

export const MonitorPodLogsSubscription = graphql(`
  subscription MonitorPodLogs($jobId: ID!, $tail: Int) { podLogs(jobId: $jobId, tail: $tail) { at source message } }
`);

export const CancelJobMutation = graphql(`
  mutation MonitorCancelJob($input: CancelTrainingJobInput!) {
    cancelTrainingJob(input: $input) {
      __typename
      ... on CancelTrainingJobSuccess { job { id status cancelReason } }
      ... on ValidationError { fieldErrors { field message } }
      ... on Error { code message }
    }
  }
`);

export const ExportMetricsMutation = graphql(`
  mutation MonitorExportMetrics($input: ExportJobMetricsInput!) {
    exportJobMetrics(input: $input) { __typename ... on ExportJobMetricsSuccess { export { url rows expiresAt } } ... on Error { message } }
  }
`);

/** The jobs list (a keyset page, filtered by status). */
export const JobRowFields = graphql(`
  fragment JobRowFields on TrainingJob {
    id status substatus progress currentStep totalSteps spendUsd createdAt startedAt finishedAt etaSeconds isSimulated gpuType cloudType preset baseModel interruptionCount
    dataset { id name }
    estimate { cost { lowUsd highUsd } }
  }
`);

export const JobsPageQuery = graphql(`
  query JobsPage($first: Int, $after: String, $last: Int, $before: String, $filter: TrainingJobFilter) {
    trainingJobs(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { node { ...JobRowFields } }
    }
  }
`);

export const JobRowUpdatedSubscription = graphql(`
  subscription JobRowUpdated($id: ID!) { trainingJobUpdated(id: $id) { ...JobRowFields } }
`);
