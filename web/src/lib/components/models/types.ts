import type { ModelQuery, ModelVersionsQuery } from '$lib/graphql/generated/graphql';

export type ModelDetail = NonNullable<ModelQuery['modelArtifact']>;
export type ModelVersion = ModelVersionsQuery['modelArtifacts']['edges'][number]['node'];
