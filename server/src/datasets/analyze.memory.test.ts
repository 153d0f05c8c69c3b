import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A large generated file streamed straight into the analyzer (never written to disk, never
// held whole), in a process of its own so its RSS is the analyzer's alone. The product's
// promise: a 500 MB file keeps the process under 512 MB RSS. The heap cap is the setting the
// server runs with; a leak would end the probe with an out-of-memory crash.
// BRIGHTRUN_MEMORY_TEST_MB sets the size (default 150).
const SIZE_MB = Number(process.env.BRIGHTRUN_MEMORY_TEST_MB ?? 150);
const HEAP_CAP_MB = 256;
const RSS_LIMIT_MB = 512;

const probe = fileURLToPath(new URL('./memory-probe.ts', import.meta.url));
const serverRoot = fileURLToPath(new URL('../../', import.meta.url));

function runProbe(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_CAP_MB}`, '--import', 'tsx', probe, String(SIZE_MB)], { cwd: serverRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('analyzeDataset on a large file', () => {
  it(`streams ~${SIZE_MB} MB with the process under ${RSS_LIMIT_MB} MB RSS`, { timeout: 300_000 }, async () => {
    const { code, stdout, stderr } = await runProbe();
    expect(code, stderr.slice(-2000)).toBe(0);
    const figures = JSON.parse(stdout.trim().split('\n').at(-1)!);
    console.log(
      `[memory] ${(figures.sizeBytes / 1e6).toFixed(1)} MB, ${figures.conversationCount} conversations, ${figures.trainablePairCount} trainable pairs, ` +
        `${figures.totalTokens.toLocaleString('en-US')} tokens in ${figures.seconds.toFixed(1)} s (generation included) = ` +
        `${figures.megabytesPerSecond.toFixed(1)} MB/s; RSS ${figures.baselineRssMb.toFixed(0)} MB before (tokenizer loaded), ` +
        `peak ${figures.peakRssMb.toFixed(0)} MB, max ${figures.maxRssMb.toFixed(0)} MB (heap cap ${HEAP_CAP_MB} MB)`,
    );
    expect(figures.ok).toBe(true);
    expect(figures.sizeBytes).toBeGreaterThan(SIZE_MB * 1e6 * 0.9);
    expect(figures.conversationCount).toBe(figures.expectedConversations);
    expect(figures.conversationsSeen).toBe(figures.expectedConversations);
    expect(figures.trainablePairCount).toBe(figures.expectedTrainablePairs);
    expect(figures.maxRssMb).toBeLessThan(RSS_LIMIT_MB);
  });
});
