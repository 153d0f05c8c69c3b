/**
 * The RunPod provider: a typed client for REST v2 and the GraphQL operations REST lacks, its error
 * hierarchy and retry helper. The loopback stand-in for tests and local runs lives in
 * `standin.ts` (with `standin-fake.ts` as a process-free workload); import it from there.
 */
export { RunPodClient, type RunPodClientOptions } from './client.js';
export type { LogOptions } from './logs.js';
export * from './errors.js';
export { retryDelayMs, withRetry, type RetryOptions } from './retry.js';
export type * from './types.js';
