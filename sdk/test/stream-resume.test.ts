import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrightRun, type LiveMetricPoint } from '../src/index.js';
import { clientFor, SAMPLE_JSON, startDemoServer, type TestServer } from './server.js';

/** The `ws` WebSocket, remembering every socket so the test can cut one as a flaky network would. */
const sockets: WebSocket[] = [];
class RecordingWebSocket extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols);
    sockets.push(this);
  }
}

describe('a metrics stream whose websocket is dropped mid-job', () => {
  let server: TestServer;
  let br: BrightRun;
  beforeAll(async () => {
    // Slower simulated jobs than the flow suite's, so there is a middle of the job to cut into.
    server = await startDemoServer({ BRIGHTRUN_DEMO_SPEEDUP: '1000' });
    br = clientFor(server, { webSocket: RecordingWebSocket as never });
  });
  afterAll(() => server?.stop());

  it('reconnects from the last step it saw and still yields every step, each new step once', async () => {
    const dataset = await br.datasets.upload(SAMPLE_JSON);
    const job = await br.jobs.start({ datasetId: dataset.id, preset: 'CONSERVATIVE', maxSteps: 150, acknowledgeDatasetWarnings: true });
    const points: LiveMetricPoint[] = [];
    const drops: number[] = [];
    for await (const point of br.jobs.metrics(job.id).stream()) {
      points.push(point);
      const train = points.filter((p) => p.split === 'TRAIN').length;
      // Cut the socket twice while the job is live: abruptly (no close frame), as a network would.
      if ((drops.length === 0 && train >= 20) || (drops.length === 1 && sockets.length >= 2 && train >= 80)) {
        drops.push(point.step);
        sockets.at(-1)!.terminate();
      }
    }
    expect(drops).toHaveLength(2);
    expect(sockets.length).toBeGreaterThanOrEqual(3);
    const finished = await br.jobs.get(job.id);
    expect(finished.status).toBe('COMPLETED');
    const train = points.filter((p) => p.split === 'TRAIN').map((p) => p.step);
    expect(train).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    const evalSteps = points.filter((p) => p.split === 'EVAL').map((p) => p.step);
    expect(new Set(evalSteps).size).toBe(evalSteps.length);
    expect(points.every((p) => !p.replacement)).toBe(true);
    // The drops happened before the end: the stream was live, not replaying a finished job.
    expect(drops[1]!).toBeLessThan(150);
  });
});
