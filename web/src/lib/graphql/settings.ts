import { graphql } from './generated';

export const SettingsFields = graphql(`
  fragment SettingsFields on WorkspaceSettings {
    defaultCloudType defaultGpuType defaultPreset monthlyBudgetUsd webhookUrl updatedAt
    runpodApiKey { isSet lastFour problem }
    huggingFaceToken { isSet lastFour problem }
    slackWebhookUrl { isSet lastFour problem }
    webhookSecret { isSet lastFour problem }
  }
`);

export const SettingsQuery = graphql(`
  query Settings {
    workspaceSettings { ...SettingsFields }
    apiKeys(first: 100) { totalCount edges { node { id name prefix scopes createdAt lastUsedAt revokedAt } } }
  }
`);

export const UpdateSettingsMutation = graphql(`
  mutation UpdateSettings($input: UpdateWorkspaceSettingsInput!) {
    updateWorkspaceSettings(input: $input) {
      __typename
      ... on UpdateWorkspaceSettingsSuccess { webhookSecret settings { ...SettingsFields } }
      ... on ValidationError { message fieldErrors { field message } }
    }
  }
`);

export const CreateApiKeyMutation = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      __typename
      ... on CreateApiKeySuccess { secret apiKey { id name prefix } }
      ... on ValidationError { message fieldErrors { field message } }
    }
  }
`);

export const RevokeApiKeyMutation = graphql(`
  mutation RevokeApiKey($input: RevokeApiKeyInput!) {
    revokeApiKey(input: $input) {
      __typename
      ... on RevokeApiKeySuccess { apiKey { id revokedAt } }
      ... on Error { message }
    }
  }
`);

export const ModelCacheFields = graphql(`
  fragment ModelCacheFields on ModelCacheVolume {
    volumeId name sizeGb dataCenterId mountPath usdPerGbMonth monthlyCostUsd priceNote createdAt
  }
`);

export const ModelCacheQuery = graphql(`
  query ModelCache {
    workspaceSettings { modelCacheVolume { ...ModelCacheFields } }
    modelCacheDataCenters {
      __typename
      ... on ModelCacheDataCentersSuccess { dataCenters { id name region volumeTypes gpus { gpuTypeId name availability } } }
      ... on Error { message }
    }
  }
`);

export const ModelCachePriceQuery = graphql(`
  query ModelCachePrice($sizeGb: Int!) {
    modelCacheVolumePrice(sizeGb: $sizeGb) { sizeGb usdPerGbMonth monthlyCostUsd priceNote }
  }
`);

export const CreateModelCacheMutation = graphql(`
  mutation CreateModelCache($input: CreateModelCacheVolumeInput!) {
    createModelCacheVolume(input: $input) {
      __typename
      ... on CreateModelCacheVolumeSuccess { modelCacheVolume { ...ModelCacheFields } }
      ... on ValidationError { message fieldErrors { field message } }
      ... on Error { message }
    }
  }
`);

export const DeleteModelCacheMutation = graphql(`
  mutation DeleteModelCache($input: DeleteModelCacheVolumeInput!) {
    deleteModelCacheVolume(input: $input) {
      __typename
      ... on DeleteModelCacheVolumeSuccess { modelCacheVolume { volumeId } }
      ... on Error { message }
    }
  }
`);
