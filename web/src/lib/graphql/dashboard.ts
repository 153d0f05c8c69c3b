import { graphql } from './generated';

export const DashboardQuery = graphql(`
  query Dashboard {
    datasets(first: 5) { totalCount edges { node { id name createdAt trainablePairCount readiness { ready } } } }
    ready: datasets(first: 100, filter: { importStatus: IMPORTED }) { edges { node { id readiness { ready } } } }
    allJobs: trainingJobs(first: 6) { totalCount edges { node { id status isActive progress spendUsd createdAt finishedAt isSimulated dataset { id name } } } }
    completed: trainingJobs(first: 1, filter: { status: [COMPLETED] }) { totalCount }
    failed: trainingJobs(first: 1, filter: { status: [FAILED] }) { totalCount }
    queued: trainingJobs(first: 1, filter: { status: [QUEUED] }) { totalCount }
    running: trainingJobs(first: 1, filter: { status: [PROVISIONING, MODEL_LOADING, PREPROCESSING, TRAINING, FINALIZING] }) { totalCount }
    stopped: trainingJobs(first: 1, filter: { status: [CANCELLED, INTERRUPTED] }) { totalCount }
    modelArtifacts(first: 1) { totalCount }
    notifications(first: 8) { edges { node { ...NotificationFields } } }
    spend { ... on SpendSuccess { spend { month totalUsd budgetUsd budgetUsedShare previousMonthUsd changePercent jobs { jobId spendUsd } } } }
  }
`);
