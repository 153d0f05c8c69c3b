/** A catalog like the server's (fewer models and GPUs), for the component and unit tests. */
import type { Catalog, FieldRange } from './config';

export const hyper = (own: { loraRank: number; loraAlpha: number; learningRate: number; epochs: number }) => ({
  ...own, loraDropout: 0.05, batchSize: 4, gradientAccumulationSteps: 1, warmupRatio: 0.03, maxSequenceLength: 2048, validationShare: 0.1, seed: 42,
  quantization: null, lrScheduler: 'COSINE' as const, targetModules: ['q_proj'],
});
const range = (r: Partial<FieldRange> & { field: string }): FieldRange => ({ group: 'HYPERPARAMETERS', kind: 'NUMBER', label: r.field, help: '', min: null, max: null, step: null, options: null, values: null, scientificNotation: false, ...r });

export const CATALOG: Catalog = {
  defaultBaseModel: 'meta-llama/Meta-Llama-3-70B-Instruct',
  defaultGpuType: 'NVIDIA H100 PCIe',
  defaultMaxDurationHours: 24,
  defaultPreset: 'BALANCED',
  providers: [{ name: 'DEMO', simulated: true, isDefault: true, ready: true, setupHint: null }],
  gpuTypes: [
    { id: 'NVIDIA H100 PCIe', label: 'H100 PCIe (80GB)', memoryGb: 80, recommended: true, description: '' },
    { id: 'NVIDIA H200', label: 'H200 (141GB)', memoryGb: 141, recommended: false, description: '' },
  ],
  baseModels: [
    { id: 'meta-llama/Meta-Llama-3-70B-Instruct', label: 'Llama 3 70B Instruct', description: '', parameterCount: 70.6e9, defaultQuantization: 'NF4', minGpuMemoryGbBf16: 160, minGpuMemoryGbNf4: 48, requiresHuggingFaceToken: true },
    { id: 'Qwen/Qwen2.5-7B-Instruct', label: 'Qwen2.5 7B Instruct', description: '', parameterCount: 7.62e9, defaultQuantization: 'BF16', minGpuMemoryGbBf16: 32, minGpuMemoryGbNf4: 16, requiresHuggingFaceToken: false },
  ],
  ranges: [
    range({ field: 'loraRank', kind: 'INTEGER', min: 4, max: 64, step: 1 }),
    range({ field: 'learningRate', min: 1e-6, max: 1e-3, step: 1e-6, scientificNotation: true }),
    range({ field: 'loraDropout', min: 0, max: 0.2, step: 0.01 }),
    range({ field: 'batchSize', kind: 'CHOICE', options: [1, 2, 4, 8] }),
  ],
  presets: [
    { key: 'CONSERVATIVE', label: 'Conservative', description: '', bestFor: '', hyperparameters: hyper({ loraRank: 8, loraAlpha: 16, learningRate: 1e-4, epochs: 2 }) },
    { key: 'BALANCED', label: 'Balanced', description: '', bestFor: '', hyperparameters: hyper({ loraRank: 16, loraAlpha: 32, learningRate: 2e-4, epochs: 3 }) },
    { key: 'AGGRESSIVE', label: 'Aggressive', description: '', bestFor: '', hyperparameters: hyper({ loraRank: 32, loraAlpha: 64, learningRate: 5e-4, epochs: 5 }) },
  ],
};
