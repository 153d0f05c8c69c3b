/**
 * What a job can run on: base models and GPU types. Pure tables, no I/O.
 *
 * Architecture figures come from each model's published `config.json` on the Hugging Face Hub;
 * the estimator uses them to size the LoRA adapter (and so checkpoints) and the attention share
 * of the compute. Minimum GPU memory is weights (NF4 ≈ 0.5 byte/parameter plus the unquantized
 * embeddings; BF16 = 2 bytes/parameter) plus room for activations with gradient checkpointing at
 * batch 4 × 2,048 tokens — a measured 29 GB peak for Llama 3 8B in BF16 anchors the small models.
 */

export const QUANTIZATIONS = ['NF4', 'BF16'] as const;
export type Quantization = (typeof QUANTIZATIONS)[number];

export interface ModelArchitecture {
  layers: number;
  hiddenSize: number;
  intermediateSize: number;
  /** Width of the key/value projections (key-value heads × head size). */
  kvDim: number;
  vocabSize: number;
}

export interface BaseModelSpec {
  id: string;
  label: string;
  description: string;
  parameterCount: number;
  defaultQuantization: Quantization;
  minGpuMemoryGb: Record<Quantization, number>;
  architecture: ModelArchitecture;
  /**
   * Gated on the Hugging Face Hub: downloading it needs an access token of an account that accepted
   * the model's license (Meta's Llama 3 licence, Mistral's terms). The pod gets the workspace's
   * token as HF_TOKEN; without one the job is refused before a pod is paid for.
   */
  gated: boolean;
  /** Built by the trainer from a config (no download, no token, runs anywhere): tiny-llama. */
  builtIn?: boolean;
}

export const BASE_MODELS: readonly BaseModelSpec[] = [
  {
    id: 'meta-llama/Meta-Llama-3-70B-Instruct',
    label: 'Llama 3 70B Instruct',
    description: 'Highest quality; trained in 4-bit NF4 (QLoRA) to fit one 80 GB GPU.',
    parameterCount: 70.6e9,
    defaultQuantization: 'NF4',
    minGpuMemoryGb: { NF4: 48, BF16: 160 },
    gated: true,
    architecture: {
      layers: 80, hiddenSize: 8192, intermediateSize: 28672,
      kvDim: 1024, vocabSize: 128256,
    },
  },
  {
    id: 'meta-llama/Meta-Llama-3-8B-Instruct',
    label: 'Llama 3 8B Instruct',
    description: 'Fast and cheap; good for iterating on a dataset.',
    parameterCount: 8.03e9,
    defaultQuantization: 'BF16',
    minGpuMemoryGb: { NF4: 16, BF16: 32 },
    gated: true,
    architecture: {
      layers: 32, hiddenSize: 4096, intermediateSize: 14336,
      kvDim: 1024, vocabSize: 128256,
    },
  },
  {
    id: 'mistralai/Mistral-7B-Instruct-v0.3',
    label: 'Mistral 7B Instruct v0.3',
    description: 'Small, permissively licensed (Apache 2.0).',
    parameterCount: 7.25e9,
    defaultQuantization: 'BF16',
    minGpuMemoryGb: { NF4: 16, BF16: 32 },
    gated: true,
    architecture: {
      layers: 32, hiddenSize: 4096, intermediateSize: 14336,
      kvDim: 1024, vocabSize: 32768,
    },
  },
  {
    id: 'Qwen/Qwen2.5-7B-Instruct',
    label: 'Qwen2.5 7B Instruct',
    description: 'Small multilingual model (Apache 2.0).',
    parameterCount: 7.62e9,
    defaultQuantization: 'BF16',
    minGpuMemoryGb: { NF4: 16, BF16: 32 },
    gated: false,
    architecture: {
      layers: 28, hiddenSize: 3584, intermediateSize: 18944,
      kvDim: 512, vocabSize: 152064,
    },
  },
  {
    id: 'Qwen/Qwen2.5-14B-Instruct',
    label: 'Qwen2.5 14B Instruct',
    description: 'Mid-sized multilingual model.',
    parameterCount: 14.8e9,
    defaultQuantization: 'BF16',
    minGpuMemoryGb: { NF4: 24, BF16: 48 },
    gated: false,
    architecture: {
      layers: 48, hiddenSize: 5120, intermediateSize: 13824,
      kvDim: 1024, vocabSize: 152064,
    },
  },
  {
    id: 'Qwen/Qwen2.5-32B-Instruct',
    label: 'Qwen2.5 32B Instruct',
    description: 'Large multilingual model; 4-bit NF4 by default.',
    parameterCount: 32.8e9,
    defaultQuantization: 'NF4',
    minGpuMemoryGb: { NF4: 32, BF16: 96 },
    gated: false,
    architecture: {
      layers: 64, hiddenSize: 5120, intermediateSize: 27648,
      kvDim: 1024, vocabSize: 152064,
    },
  },
  {
    id: 'tiny-llama',
    label: 'Tiny random Llama (smoke test)',
    description:
      'A tiny randomly initialised Llama built from a config by the trainer: no download, ' +
      'learns nothing useful; for checking the pipeline end to end.',
    parameterCount: 4.2e6,
    defaultQuantization: 'BF16',
    minGpuMemoryGb: { NF4: 1, BF16: 1 },
    gated: false,
    builtIn: true,
    architecture: {
      layers: 2, hiddenSize: 64, intermediateSize: 256,
      kvDim: 64, vocabSize: 32000,
    },
  },
];

export const DEFAULT_BASE_MODEL = 'meta-llama/Meta-Llama-3-70B-Instruct';

export function findBaseModel(id: string): BaseModelSpec | undefined {
  return BASE_MODELS.find((model) => model.id === id);
}

export const GPU_TYPE_IDS = [
  'NVIDIA H100 PCIe',
  'NVIDIA H100 80GB HBM3',
  'NVIDIA H100 NVL',
  'NVIDIA H200',
] as const;
export type GpuTypeId = (typeof GPU_TYPE_IDS)[number];

export interface GpuTypeSpec {
  /** RunPod's GPU type id, used verbatim when creating a pod. */
  id: GpuTypeId;
  label: string;
  memoryGb: number;
  description: string;
  recommended: boolean;
}

export const GPU_TYPES: readonly GpuTypeSpec[] = [
  {
    id: 'NVIDIA H100 PCIe',
    label: 'H100 PCIe (80GB)',
    memoryGb: 80,
    description: 'Best price for LoRA on models up to 70B in 4-bit.',
    recommended: true,
  },
  {
    id: 'NVIDIA H100 80GB HBM3',
    label: 'H100 SXM (80GB)',
    memoryGb: 80,
    description: 'About 40% faster than PCIe for a higher hourly price.',
    recommended: false,
  },
  {
    id: 'NVIDIA H100 NVL',
    label: 'H100 NVL (94GB)',
    memoryGb: 94,
    description: 'More memory than the 80 GB cards; between PCIe and SXM in speed.',
    recommended: false,
  },
  {
    id: 'NVIDIA H200',
    label: 'H200 (141GB)',
    memoryGb: 141,
    description: 'Fastest and largest; fits 32B models in BF16.',
    recommended: false,
  },
];

export const DEFAULT_GPU_TYPE: GpuTypeId = 'NVIDIA H100 PCIe';

export function findGpuType(id: string): GpuTypeSpec | undefined {
  return GPU_TYPES.find((gpu) => gpu.id === id);
}

export const CLOUD_TYPES = ['SPOT', 'ON_DEMAND'] as const;
export type CloudType = (typeof CLOUD_TYPES)[number];

export const CLOUD_TYPE_OPTIONS: readonly { id: CloudType; label: string; description: string }[] = [
  {
    id: 'SPOT',
    label: 'Spot',
    description: 'Cheaper, interruptible; training resumes from the last checkpoint.',
  },
  { id: 'ON_DEMAND', label: 'On-Demand', description: 'Guaranteed; costs more per hour.' },
];
