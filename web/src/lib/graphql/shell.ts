import { graphql } from './generated';

/** Everything the shell's header and sidebar show, in one round trip. */
export const ShellQuery = graphql(`
  query Shell {
    viewer { scopes }
    spend { ... on SpendSuccess { spend { month totalUsd budgetUsd budgetUsedShare changePercent changeUsd } } }
    datasets(first: 1) { totalCount }
    activeJobs: trainingJobs(first: 1, filter: { active: true }) { totalCount }
    modelArtifacts(first: 1) { totalCount }
    unread: notifications(first: 1, unreadOnly: true) { totalCount }
  }
`);

export const ActiveJobFields = graphql(`
  fragment ActiveJobFields on TrainingJob {
    id status progress spendUsd currentStep totalSteps etaSeconds isSimulated
    dataset { id name }
  }
`);

export const ActiveTrainingJobsSubscription = graphql(`
  subscription ActiveTrainingJobs {
    activeTrainingJobs { ...ActiveJobFields }
  }
`);

export const ActiveTrainingJobsQuery = graphql(`
  query ActiveTrainingJobsNow {
    trainingJobs(first: 20, filter: { active: true }) { edges { node { ...ActiveJobFields } } }
  }
`);

export const NotificationFields = graphql(`
  fragment NotificationFields on Notification { id kind title body link jobId readAt createdAt }
`);

export const NotificationsQuery = graphql(`
  query Notifications($first: Int!) {
    notifications(first: $first) { totalCount edges { node { ...NotificationFields } } }
  }
`);

export const NotificationAddedSubscription = graphql(`
  subscription NotificationAdded {
    notificationAdded { ...NotificationFields }
  }
`);

export const MarkNotificationsReadMutation = graphql(`
  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {
    markNotificationsRead(input: $input) {
      ... on MarkNotificationsReadSuccess { unreadCount }
      ... on Error { message }
    }
  }
`);

export const PaletteSearchQuery = graphql(`
  query PaletteSearch($search: String!) {
    datasets(first: 5, filter: { search: $search }) { edges { node { id name vertical } } }
    trainingJobs(first: 5) { edges { node { id status dataset { name } createdAt } } }
    modelArtifacts(first: 5) { edges { node { id name version } } }
  }
`);
