import { graphql } from './generated';

export const JobsListQuery = graphql(`
  query JobsList { trainingJobs(first: 50) { totalCount edges { node { id status progress spendUsd createdAt isSimulated gpuType dataset { id name } } } } }
`);

export const ModelsListQuery = graphql(`
  query ModelsList { modelArtifacts(first: 50) { totalCount edges { node { id name version status finalLoss createdAt dataset { id name } } } } }
`);
