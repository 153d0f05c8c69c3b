import { describe, expect, it } from 'vitest';
import { configurationDiff, configurationRows, formatDuration, formatRate, peftSnippet, ratingTone, statusOf } from './model-utils';

const h = { loraRank: 16, loraAlpha: 32, loraDropout: 0.05, learningRate: 0.0002, lrScheduler: 'COSINE', epochs: 3, batchSize: 4, gradientAccumulationSteps: 4, maxSequenceLength: 2048, warmupRatio: 0.03, quantization: 'NF4', targetModules: ['q_proj', 'v_proj'], validationShare: 0.1, seed: 42, maxSteps: null };

describe('model helpers', () => {
  it('formats durations, learning rates and the spec’s status and rating colours', () => {
    expect([formatDuration(41280), formatDuration(222), formatDuration(12), formatDuration(null)]).toEqual(['11h 28m', '3m 42s', '12s', '—']);
    expect([formatRate(0.0002), formatRate(0.00015), formatRate(0.05)]).toEqual(['2e-4', '1.5e-4', '0.05']);
    expect([statusOf('STORED').tone, statusOf('TESTING').tone, statusOf('PRODUCTION').tone, statusOf('ARCHIVED').tone]).toEqual(['neutral', 'primary', 'success', 'warning']);
    expect([5, 4, 3, 2, 1, null].map(ratingTone)).toEqual(['success', 'success', 'primary', 'warning', 'error', 'neutral']);
  });

  it('diffs two frozen configurations row by row', () => {
    const a = configurationRows(h, { preset: 'BALANCED' });
    const b = configurationRows({ ...h, loraRank: 32, learningRate: 0.0001 }, { preset: 'AGGRESSIVE' });
    const diff = configurationDiff(a, b).filter((r) => r.differs);
    expect(diff.map((r) => [r.label, r.a, r.b])).toEqual([['Preset', 'Balanced', 'Aggressive'], ['LoRA rank (r)', '16', '32'], ['Learning rate', '2e-4', '1e-4']]);
  });

  it('writes a PEFT snippet for the right base model (4-bit when trained in NF4; the trainer’s builder for tiny-llama)', () => {
    const hf = peftSnippet('meta-llama/Meta-Llama-3-8B-Instruct', 'EQ-Balanced-2026-11-30 v2', 'NF4');
    expect(hf).toContain('base_id = "meta-llama/Meta-Llama-3-8B-Instruct"');
    expect(hf).toContain('bnb_4bit_quant_type="nf4"');
    expect(hf).toContain('PeftModel.from_pretrained(base, "./EQ-Balanced-2026-11-30-v2")');
    expect(peftSnippet('Qwen/Qwen2.5-7B-Instruct', 'x', 'BF16')).not.toContain('BitsAndBytesConfig');
    expect(peftSnippet('tiny-llama', 'x')).toContain('from brightrun_trainer.tiny_llama import build_model, build_tokenizer');
  });
});
