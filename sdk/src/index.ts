// @brightrun/lora-sdk for Node ≥ 20.19, Deno and Bun: files through node:fs, WebSocket from the
// runtime (or the `ws` package on Node 20). Browsers get ./browser.ts through the "browser" condition.
import { BrightRunClient } from './client.js';
import type { ClientOptions } from './core/transport.js';
import { nodePlatform } from './platform-node.js';

export * from './exports.js';

/**
 * The BrightRun LoRA client.
 *
 * ```ts
 * const br = new BrightRun(); // BRIGHTRUN_API_KEY, BRIGHTRUN_BASE_URL
 * const dataset = await br.datasets.upload('conversations.jsonl', { onProgress: (p) => … });
 * const job = await br.jobs.start({ datasetId: dataset.id, preset: 'BALANCED' });
 * for await (const point of br.jobs.metrics(job.id).stream()) console.log(point.step, point.loss);
 * ```
 */
export class BrightRun extends BrightRunClient {
  constructor(options: ClientOptions = {}) {
    super(options, nodePlatform);
  }
}

export default BrightRun;
