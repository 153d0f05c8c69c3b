// Streams a generated file of the given size through analyzeDataset and prints one JSON line
// of figures (throughput, RSS). Run in its own process by analyze.memory.test.ts, or by hand:
//   node --max-old-space-size=256 --import tsx src/datasets/memory-probe.ts 500
import { generateDatasetBytes, sizedDemoSpec } from '../demo/generate.js';
import { analyzeDataset } from './analyze.js';

const MB = 1e6;
const sizeMb = Number(process.argv[2] ?? 200);
if (!(sizeMb > 0)) throw new Error(`size in MB must be a positive number (got ${process.argv[2]})`);

const spec = sizedDemoSpec(sizeMb * MB, 'memory-probe');
const baselineRss = process.memoryUsage().rss;
let peakRss = baselineRss;
let conversations = 0;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const started = performance.now();
const result = await analyzeDataset(generateDatasetBytes(spec), {
  maxBytes: 2 * sizeMb * MB,
  onConversation: () => {
    conversations += 1;
    if (conversations % 10 === 0) sample();
  },
});
const seconds = (performance.now() - started) / 1000;
sample();

console.log(
  JSON.stringify({
    ok: result.ok,
    kind: result.ok ? null : result.kind,
    sizeBytes: result.ok ? result.sizeBytes : null,
    conversationCount: result.ok ? result.conversationCount : null,
    trainablePairCount: result.ok ? result.trainablePairCount : null,
    totalTokens: result.ok ? result.tokenStats.totalTokens : null,
    expectedConversations: spec.conversations,
    expectedTrainablePairs: spec.trainablePairs,
    conversationsSeen: conversations,
    seconds,
    megabytesPerSecond: result.ok ? result.sizeBytes / MB / seconds : null,
    baselineRssMb: baselineRss / MB,
    peakRssMb: peakRss / MB,
    maxRssMb: (process.resourceUsage().maxRSS * 1024) / MB, // maxRSS is in KiB
  }),
);
