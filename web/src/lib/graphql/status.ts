import { graphql } from './generated';

/** The status bar's facts (server: schema/system-status.ts); cheap to poll, RunPod is asked at most once a minute. */
export const SystemStatusQuery = graphql(`
  query SystemStatus {
    systemStatus {
      runpod { state offered message keySource checkedAt }
      defaultGpu { gpuTypeId label availability dataCentersWithStock dataCenterCount pinnedDataCenter { dataCenterId dataCenterName availability } }
      apiBudget { limit remaining resetInSeconds windowSeconds }
      defaultProvider { name simulated ready setupHint }
    }
  }
`);
