/**
 * The pre-launch estimate of a training job: throughput model, stage durations, cost, warnings,
 * and the fallback prices used when RunPod's live prices cannot be read.
 */
export * from './cost.js';
export * from './estimate.js';
export * from './memory.js';
export * from './prices.js';
export * from './stages.js';
export * from './throughput.js';
export * from './warnings.js';
