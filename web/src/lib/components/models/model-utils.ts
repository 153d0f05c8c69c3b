import type { ArtifactStatus } from '$lib/graphql/generated/graphql';

/** The four lifecycle statuses, in their order, with the spec's colours (gray, blue, green, amber). */
export const STATUSES: { value: ArtifactStatus; label: string; tone: 'neutral' | 'primary' | 'success' | 'warning'; description: string }[] = [
  { value: 'STORED', label: 'Stored', tone: 'neutral', description: 'Trained and stored; not in use yet.' },
  { value: 'TESTING', label: 'Testing', tone: 'primary', description: 'Being evaluated before use.' },
  { value: 'PRODUCTION', label: 'Production', tone: 'success', description: 'The adapter in use.' },
  { value: 'ARCHIVED', label: 'Archived', tone: 'warning', description: 'Kept, but no longer in use.' },
];
export const statusOf = (value: ArtifactStatus) => STATUSES.find((s) => s.value === value)!;

/** The spec's quality colours: green 4–5 stars, blue 3, yellow 2, red 1. */
export function ratingTone(rating: number | null | undefined): 'success' | 'primary' | 'warning' | 'error' | 'neutral' {
  if (rating == null) return 'neutral';
  return rating >= 4 ? 'success' : rating >= 3 ? 'primary' : rating >= 2 ? 'warning' : 'error';
}
export function ratingWord(rating: number | null | undefined): string {
  if (rating == null) return 'Not rated';
  return ['Poor', 'Poor', 'Fair', 'Good', 'Very good', 'Excellent'][rating] ?? 'Not rated';
}

/** "BALANCED" → "Balanced". */
export const presetLabel = (preset: string) => preset.charAt(0) + preset.slice(1).toLowerCase();

/** Short base-model label: the part after the owner ("meta-llama/Meta-Llama-3-8B-Instruct" → "Meta-Llama-3-8B-Instruct"). */
export const baseModelLabel = (id: string) => id.split('/').pop() ?? id;

/** "11h 28m", "3m 42s", "12s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

export const formatLoss = (value: number | null | undefined, digits = 3) => (value == null ? '—' : value.toFixed(digits));

/** 2e-4 style for learning rates. */
export function formatRate(value: number): string {
  if (value === 0) return '0';
  if (value >= 0.01) return String(value);
  const [mantissa, exponent] = value.toExponential().split('e');
  return `${Number(Number(mantissa).toPrecision(3))}e${exponent}`;
}

export interface HyperparameterSet {
  loraRank: number;
  loraAlpha: number;
  loraDropout: number;
  learningRate: number;
  lrScheduler: string;
  epochs: number;
  batchSize: number;
  gradientAccumulationSteps: number;
  maxSequenceLength: number;
  warmupRatio: number;
  quantization?: string | null;
  targetModules: string[];
  validationShare: number;
  seed: number;
  maxSteps?: number | null;
}

/** The frozen configuration as labelled rows, in the configurator's order. */
export function configurationRows(h: HyperparameterSet, extra: { preset?: string; baseModel?: string; gpuType?: string; cloudType?: string } = {}): { key: string; label: string; value: string }[] {
  const rows: { key: string; label: string; value: string }[] = [];
  if (extra.preset) rows.push({ key: 'preset', label: 'Preset', value: presetLabel(extra.preset) });
  if (extra.baseModel) rows.push({ key: 'baseModel', label: 'Base model', value: extra.baseModel });
  rows.push(
    { key: 'loraRank', label: 'LoRA rank (r)', value: String(h.loraRank) },
    { key: 'loraAlpha', label: 'LoRA alpha (α)', value: String(h.loraAlpha) },
    { key: 'loraDropout', label: 'LoRA dropout', value: String(h.loraDropout) },
    { key: 'learningRate', label: 'Learning rate', value: formatRate(h.learningRate) },
    { key: 'lrScheduler', label: 'LR schedule', value: h.lrScheduler.toLowerCase().replace(/_/g, ' ') },
    { key: 'warmupRatio', label: 'Warmup ratio', value: String(h.warmupRatio) },
    { key: 'epochs', label: 'Epochs', value: String(h.epochs) },
    { key: 'maxSteps', label: 'Max steps', value: h.maxSteps == null ? 'as the epochs take' : String(h.maxSteps) },
    { key: 'batchSize', label: 'Batch size', value: String(h.batchSize) },
    { key: 'gradientAccumulationSteps', label: 'Gradient accumulation', value: String(h.gradientAccumulationSteps) },
    { key: 'maxSequenceLength', label: 'Max sequence length', value: String(h.maxSequenceLength) },
    { key: 'quantization', label: 'Quantization', value: h.quantization ?? 'model default' },
    { key: 'targetModules', label: 'Target modules', value: h.targetModules.join(', ') },
    { key: 'validationShare', label: 'Validation share', value: `${Math.round(h.validationShare * 100)}%` },
    { key: 'seed', label: 'Seed', value: String(h.seed) },
  );
  if (extra.gpuType) rows.push({ key: 'gpuType', label: 'GPU', value: extra.gpuType });
  if (extra.cloudType) rows.push({ key: 'cloudType', label: 'Cloud type', value: cloudLabel(extra.cloudType) });
  return rows;
}

export const cloudLabel = (cloud: string) => (cloud === 'SPOT' ? 'Spot' : cloud === 'ON_DEMAND' ? 'On-Demand' : cloud);

/** Two configurations side by side, each row marked when the values differ. */
export function configurationDiff(a: ReturnType<typeof configurationRows>, b: ReturnType<typeof configurationRows>) {
  const keys = [...new Set([...a.map((r) => r.key), ...b.map((r) => r.key)])];
  return keys.map((key) => {
    const ra = a.find((r) => r.key === key);
    const rb = b.find((r) => r.key === key);
    return { key, label: (ra ?? rb)!.label, a: ra?.value ?? '—', b: rb?.value ?? '—', differs: (ra?.value ?? null) !== (rb?.value ?? null) };
  });
}

/** Python that loads the adapter with PEFT on its base model (the folder holds the downloaded files). */
export function peftSnippet(baseModel: string, folder: string, quantization?: string | null): string {
  const dir = folder.replace(/[^A-Za-z0-9._-]/g, '-');
  if (baseModel === 'tiny-llama') {
    return [
      '# tiny-llama is built from a config by the BrightRun trainer (no Hugging Face download):',
      '# pip install -e trainer   (from this repository)',
      'from peft import PeftModel',
      'from brightrun_trainer.tiny_llama import build_model, build_tokenizer',
      '',
      'tokenizer = build_tokenizer()',
      'base = build_model(tokenizer)',
      `model = PeftModel.from_pretrained(base, "./${dir}")  # adapter_config.json + adapter_model.safetensors`,
      'model.eval()',
    ].join('\n');
  }
  const nf4 = quantization === 'NF4';
  return [
    `# pip install torch transformers peft${nf4 ? ' bitsandbytes' : ''} accelerate`,
    'import torch',
    `from transformers import AutoModelForCausalLM, AutoTokenizer${nf4 ? ', BitsAndBytesConfig' : ''}`,
    'from peft import PeftModel',
    '',
    `base_id = "${baseModel}"`,
    'tokenizer = AutoTokenizer.from_pretrained(base_id)',
    nf4
      ? 'base = AutoModelForCausalLM.from_pretrained(\n    base_id,\n    quantization_config=BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=torch.bfloat16),\n    device_map="auto",\n)'
      : 'base = AutoModelForCausalLM.from_pretrained(base_id, torch_dtype=torch.bfloat16, device_map="auto")',
    `model = PeftModel.from_pretrained(base, "./${dir}")  # adapter_config.json + adapter_model.safetensors`,
    'model.eval()',
  ].join('\n');
}
