import { graphql } from './generated';

export const DatasetCardFields = graphql(`
  fragment DatasetCardFields on Dataset {
    id name createdAt format vertical conversationCount trainingPairCount trainablePairCount averageQuality importStatus sizeBytes
    consultantProfile { name }
    readiness { ready checks { key passed blocking value threshold message } }
    scaffolding { personas { key count } }
  }
`);

export const DatasetsQuery = graphql(`
  query Datasets($first: Int!, $after: String, $filter: DatasetFilter, $orderBy: DatasetOrder) {
    datasets(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...DatasetCardFields } }
    }
    all: datasets(first: 1) { totalCount }
  }
`);

export const DatasetQuery = graphql(`
  query Dataset($id: ID!, $first: Int!, $after: String, $before: String, $last: Int) {
    dataset(id: $id) {
      id name createdAt format vertical conversationCount trainingPairCount trainablePairCount averageQuality importStatus sizeBytes
      readiness { ready checks { key passed blocking value threshold message } }
      description fileName sha256 encoding metadata updatedAt isGenerated downloadUrl
      consultantProfile { name business expertise yearsExperience }
      qualitySummary { average min max humanReviewedCount humanReviewedShare tiers { production experimental seed rejected } }
      tokenStats { totalTokens targetTokens meanPerPair p95PerPair tokenizer }
      scaffolding { personas { key count } emotionalArcs { key count } trainingTopics { key count } combinations { persona arc topic conversations } }
      conversations(first: $first, after: $after, before: $before, last: $last) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges {
          node {
            id ordinal personaName personaKey emotionalArc trainingTopic averageQuality qualityTier pairCount trainablePairCount
            pairs { id turnNumber trainable qualityScore currentUserInput targetResponse }
          }
        }
      }
    }
  }
`);

export const UploadDatasetMutation = graphql(`
  mutation UploadDataset($input: UploadDatasetInput!) {
    uploadDataset(input: $input) {
      __typename
      ... on UploadDatasetSuccess { dataset { id name } }
      ... on DatasetInvalidError { message kind problemCount problems { line column field conversation message } }
      ... on DuplicateDatasetError { message existingDataset { id name } }
      ... on ValidationError { message fieldErrors { field message } }
    }
  }
`);

export const RequestDatasetUploadMutation = graphql(`
  mutation RequestDatasetUpload($input: RequestDatasetUploadInput!) {
    requestDatasetUpload(input: $input) {
      __typename
      ... on RequestDatasetUploadSuccess { dataset { id } upload { url method headers { name value } } }
      ... on Error { message }
      ... on DatasetInvalidError { kind problemCount problems { line column field conversation message } }
    }
  }
`);

export const FinalizeDatasetUploadMutation = graphql(`
  mutation FinalizeDatasetUpload($input: FinalizeDatasetUploadInput!) {
    finalizeDatasetUpload(input: $input) {
      __typename
      ... on FinalizeDatasetUploadSuccess { dataset { id name } }
      ... on DatasetInvalidError { message kind problemCount problems { line column field conversation message } }
      ... on DuplicateDatasetError { message existingDataset { id name } }
      ... on Error { message }
    }
  }
`);

export const UpdateDatasetMutation = graphql(`
  mutation UpdateDataset($input: UpdateDatasetInput!) {
    updateDataset(input: $input) {
      __typename
      ... on UpdateDatasetSuccess { dataset { id name description } }
      ... on Error { message }
    }
  }
`);

export const DeleteDatasetMutation = graphql(`
  mutation DeleteDataset($input: DeleteDatasetInput!) {
    deleteDataset(input: $input) {
      __typename
      ... on DeleteDatasetSuccess { dataset { id } }
      ... on Error { message }
    }
  }
`);

export const DatasetPickerQuery = graphql(`
  query DatasetPicker { datasets(first: 100) { edges { node { id name } } } }
`);

/** The grid's comparison modal: both datasets' card facts (readiness checks included) and the comparison. */
export const CompareDatasetsViewQuery = graphql(`
  query CompareDatasetsView($a: ID!, $b: ID!) {
    a: dataset(id: $a) { ...DatasetCardFields }
    b: dataset(id: $b) { ...DatasetCardFields }
    compareDatasets(input: { aId: $a, bId: $b }) {
      __typename
      ... on CompareDatasetsSuccess {
        comparison {
          measures { measure a b difference }
          readinessDifferences { key passedInA passedInB }
          scaffolding { dimension shared onlyInA onlyInB }
          sharedConversationCount
        }
      }
      ... on Error { message }
    }
  }
`);
