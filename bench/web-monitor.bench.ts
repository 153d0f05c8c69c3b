// The training monitor (P04) in real Chromium against the real server (port 0, as the browser tests
// start it): the JavaScript the monitor page loads (gzip), long tasks while 10 metric points a second
// arrive, and the tab's JS heap over a long live job.
//   npx tsx bench/web-monitor.bench.ts [--seconds 30] [--memory-minutes 10]
// Needs web/build (npm run build -w web) and Chromium at /usr/bin/chromium (CHROMIUM_PATH).
// The job is a real-time demo job (BRIGHTRUN_DEMO_SPEEDUP=1: its simulated trainer stays in
// preprocessing); the points are reported by this script through the trainer's metrics API with
// the job's own token: 10 points a second, 5 per report every 500 ms, reports pipelined.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { execSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { trainerTokenFor } from '../server/src/auth/keys.ts';
import { launchBrowser, newContext, startServer } from '../web/test/browser/harness.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const TRACE_SECONDS = option('--seconds', 30);
const MEMORY_MINUTES = option('--memory-minutes', 10);
const RATE = option('--rate', 10); // points per second (0: a control trace with nothing arriving)
const CHROME_TRACE = args.includes('--chrome-trace'); // Chrome's trace events over the trace window: what the main thread's tasks > 50 ms spent their time on
const PROFILE = args.includes('--profile'); // a CPU profile of the page over the trace: self time by function

console.log(`web-monitor bench ${new Date().toISOString()} · load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} · ${cpus().length} CPUs · commit ${execSync('git rev-parse --short HEAD').toString().trim()}`);

const secret = randomBytes(32).toString('hex');
const server = await startServer({ BRIGHTRUN_PROVIDER: 'demo', BRIGHTRUN_DEMO_SPEEDUP: '1', BRIGHTRUN_SUPERVISOR_TICK_MS: '500', BRIGHTRUN_SECRET: secret });
const browser = await launchBrowser();
const gql = async (query: string, variables: Record<string, unknown> = {}) => {
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data: any; errors?: { message: string }[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (body.errors) throw new Error(body.errors[0]!.message);
  return body.data;
};

try {
  const datasets = (await gql('{ datasets(first: 10) { edges { node { id trainablePairCount } } } }')).datasets.edges.map((e: { node: { id: string; trainablePairCount: number } }) => e.node);
  const datasetId = datasets.sort((a: { trainablePairCount: number }, b: { trainablePairCount: number }) => b.trainablePairCount - a.trainablePairCount)[0].id;
  const started = await gql('mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { ... on StartTrainingJobSuccess { job { id } } ... on Error { message } } }', { input: { plan: { datasetId }, acknowledgeDatasetWarnings: true, maxSteps: 1_000_000 } });
  const jobId: string = started.startTrainingJob.job.id;
  for (let i = 0; i < 240; i++) {
    const status = (await gql('query($id: ID!) { trainingJob(id: $id) { status } }', { id: jobId })).trainingJob.status;
    if (['PREPROCESSING', 'MODEL_LOADING'].includes(status)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const token = trainerTokenFor(secret, jobId);
  const report = async (input: Record<string, unknown>) => {
    const res = await fetch(`${server.url}/trainer/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: 'mutation($jobId: ID!, $input: TrainerReportInput!) { trainerReport(jobId: $jobId, input: $input) { acceptedMetrics } }', variables: { jobId, input } }) });
    const body = (await res.json()) as { errors?: { message: string }[] };
    if (body.errors) throw new Error(body.errors[0]!.message);
  };
  await report({ stage: 'MODEL_LOADING' });
  await report({ stage: 'TRAINING', substatus: 'bench: 10 points/s' });
  let step = 0;
  const point = (s: number) => ({ split: 'TRAIN', step: s, loss: 0.5 + 1.8 * Math.exp(-s / 4000) + 0.03 * Math.sin(s), learningRate: 2e-4, gradNorm: 0.5, tokensPerSecond: 1250, gpuUtilization: 88, gpuMemoryGb: 60, epoch: s / 10_000 });
  // The feeder batches as the real trainer flushes: BATCH points per report every BATCH/RATE
  // seconds, each report sent without waiting for the previous one, so the rate holds whatever a
  // round trip takes (one point per awaited report reached only 1 point/s when a round trip took
  // ~1 s on a loaded machine). Accepted points and round trips are counted for the figures.
  const BATCH = 5;
  const INTERVAL_MS = RATE > 0 ? (BATCH * 1000) / RATE : 500;
  const MAX_IN_FLIGHT = 50;
  const feed = { accepted: 0, failed: 0, inFlight: 0, maxInFlight: 0, skipped: 0, rtts: [] as number[] };
  let feeding = true;
  const feeder = (async () => {
    const t0 = performance.now();
    for (let batch = 1; feeding; batch++) {
      if (RATE <= 0) { await new Promise((r) => setTimeout(r, 500)); continue; }
      if (feed.inFlight >= MAX_IN_FLIGHT) feed.skipped++; // the server is that far behind: say so rather than pile up
      else {
        const metrics: Record<string, unknown>[] = [];
        for (let i = 0; i < BATCH; i++) {
          step++;
          metrics.push(point(step));
          if (step % 100 === 0) metrics.push({ split: 'EVAL', step, loss: point(step).loss + 0.05, perplexity: Math.exp(point(step).loss + 0.05) });
        }
        const sentAt = performance.now();
        feed.inFlight++;
        feed.maxInFlight = Math.max(feed.maxInFlight, feed.inFlight);
        void report({ metrics, progress: { step, totalSteps: 1_000_000, epoch: step / 10_000, totalEpochs: 3 } })
          .then(() => { feed.accepted += BATCH; feed.rtts.push(performance.now() - sentAt); }, (e: unknown) => { feed.failed++; if (feed.failed <= 3) console.error(`report failed: ${e instanceof Error ? e.message : String(e)}`); })
          .finally(() => feed.inFlight--);
      }
      const due = t0 + batch * INTERVAL_MS;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    }
  })();
  const quantile = (values: number[], q: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
  };

  const context = await newContext(browser, server.url);
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('API key').fill(server.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();

  // 1. JavaScript of the monitor page: a fresh load of /training/jobs/{id}, every script it fetched, gzip -9.
  const scripts = new Map<string, Buffer>();
  page.on('response', async (response) => {
    if (response.request().resourceType() === 'script' || response.url().endsWith('.js')) {
      try { scripts.set(response.url(), await response.body()); } catch { /* navigated away */ }
    }
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`/training/jobs/${jobId}`);
  await page.locator(RATE > 0 ? '.plot[data-first-frame-ms]' : '.plot').waitFor({ timeout: 60_000 });
  await page.waitForTimeout(1500);
  let raw = 0;
  let gz = 0;
  for (const body of scripts.values()) {
    raw += body.length;
    gz += gzipSync(body, { level: 9 }).length;
  }
  console.log(`monitor page JavaScript: ${scripts.size} files, ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzip`);
  if (args.includes('--js-files')) {
    const files = [...scripts].map(([url, body]) => ({ url: url.replace(/^.*\/_app\/immutable\//, ''), gz: gzipSync(body, { level: 9 }).length })).sort((a, b) => b.gz - a.gz);
    for (const f of files) console.log(`  ${(f.gz / 1024).toFixed(1).padStart(6)} KB  ${f.url}`);
  }

  // 2. Long tasks while 10 points/s arrive, for TRACE_SECONDS after the page settled; the frames the
  // page painted (requestAnimationFrame callbacks) and the points the page itself received.
  const browserStep = () => page.evaluate(() => (window as unknown as { __brightrunMonitor: { lastStep: number } }).__brightrunMonitor.lastStep);
  // A string, not a function: tsx names the inner arrow with a __name helper the page lacks.
  const traceStart = (await page.evaluate(`(() => {
    window.__frames = [];
    window.__counting = true;
    const tick = (t) => { window.__frames.push(t); if (window.__counting) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    return performance.now();
  })()`)) as number;
  const at0 = { accepted: feed.accepted, rtts: feed.rtts.length, browser: await browserStep(), wall: performance.now() };
  const profiler = PROFILE ? await context.newCDPSession(page) : null;
  if (profiler) {
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
    await profiler.send('Profiler.start');
  }
  if (CHROME_TRACE) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing'] });
  await page.waitForTimeout(TRACE_SECONDS * 1000);
  if (CHROME_TRACE) {
    type Ev = { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { data?: { frame?: string } } };
    const events = (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: Ev[] }).traceEvents;
    // The renderer's main thread: the thread that ran the page's scripts.
    const main = events.find((e) => e.name === 'FunctionCall' || e.name === 'EvaluateScript');
    const own = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur != null);
    const tasks = own.filter((e) => e.name === 'RunTask');
    const long = tasks.filter((t) => t.dur! > 50_000);
    const breakdown = (within: Ev[]) => {
      const sorted = [...within].sort((a, b) => a.ts - b.ts);
      const inside = (ts: number) => {
        let lo = 0;
        let hi = sorted.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (sorted[mid]!.ts <= ts) lo = mid + 1;
          else hi = mid;
        }
        const t = sorted[lo - 1];
        return t != null && ts < t.ts + t.dur!;
      };
      const by = new Map<string, number>();
      for (const e of own) {
        if (e.name === 'RunTask' || !inside(e.ts)) continue;
        by.set(e.name, (by.get(e.name) ?? 0) + e.dur! / 1000);
      }
      return [...by].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([n, ms]) => `${n} ${ms.toFixed(0)} ms`).join(', ');
    };
    const busy = tasks.reduce((sum, t) => sum + t.dur!, 0) / 1000;
    console.log(`chrome trace: main thread busy ${busy.toFixed(0)} ms in ${tasks.length} tasks over ${TRACE_SECONDS} s; ${long.length} tasks > 50 ms (${long.map((t) => (t.dur! / 1000).toFixed(0)).join(', ')} ms)`);
    console.log(`  all tasks (inclusive times, nested events counted in each): ${breakdown(tasks)}`);
    if (long.length) console.log(`  tasks > 50 ms: ${breakdown(long)}`);
  }
  if (profiler) {
    const { profile } = await profiler.send('Profiler.stop');
    const dt = profile.timeDeltas ?? [];
    const self = new Map<number, number>();
    (profile.samples ?? []).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0) / 1000));
    const byName = new Map<string, number>();
    let busy = 0;
    for (const node of profile.nodes) {
      const ms = self.get(node.id) ?? 0;
      const f = node.callFrame;
      const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}`;
      if (!['(idle)', '(program)'].includes(f.functionName)) busy += ms;
      byName.set(name, (byName.get(name) ?? 0) + ms);
    }
    console.log(`CPU profile over the trace: ${busy.toFixed(0)} ms busy (not idle/program) of ${(TRACE_SECONDS * 1000).toFixed(0)} ms; self time by function:`);
    for (const [name, ms] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${name}`);
  }
  const trace = await page.evaluate((t) => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[]; __frames: number[]; __counting: boolean };
    w.__counting = false;
    const gaps = w.__frames.slice(1).map((f, i) => f - w.__frames[i]!);
    return { tasks: w.__longTasks.filter((e) => e.start >= t), frames: w.__frames.length, seconds: (performance.now() - t) / 1000, worstGap: Math.max(0, ...gaps), over50: gaps.filter((g) => g > 50).length };
  }, traceStart);
  const seconds = (performance.now() - at0.wall) / 1000;
  const acceptedRate = (feed.accepted - at0.accepted) / seconds;
  const browserRate = ((await browserStep()) - at0.browser) / seconds;
  const rtts = feed.rtts.slice(at0.rtts);
  const chartPoints = Number(await page.locator('.plot').getAttribute('data-train-points'));
  console.log(`feeder: ${acceptedRate.toFixed(1)} points/s accepted by the server, ${browserRate.toFixed(1)} points/s reached the page, over ${seconds.toFixed(1)} s (target ${RATE}/s: ${BATCH} per report every ${INTERVAL_MS} ms, pipelined); trainerReport round trip median ${quantile(rtts, 0.5).toFixed(0)} ms, p95 ${quantile(rtts, 0.95).toFixed(0)} ms, at most ${feed.maxInFlight} in flight; ${feed.failed} failed, ${feed.skipped} skipped`);
  console.log(`frames: ${trace.frames} in ${trace.seconds.toFixed(1)} s (${(trace.frames / trace.seconds).toFixed(1)} fps), longest gap ${trace.worstGap.toFixed(0)} ms, ${trace.over50} gaps > 50 ms`);
  console.log(`long tasks (> 50 ms) in ${TRACE_SECONDS} s: ${trace.tasks.length}${trace.tasks.length ? ` (longest ${Math.max(...trace.tasks.map((t) => t.duration)).toFixed(0)} ms; ${trace.tasks.map((t) => t.duration.toFixed(0)).join(', ')} ms)` : ''}; chart holds ${chartPoints} points`);
  console.log(`load average at the end of the trace: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  if (acceptedRate < RATE * 0.9) console.log(`WARNING: the feeder reached ${acceptedRate.toFixed(1)} points/s, under the ${RATE}/s target: this trace does not show the target load`);

  // 3. The tab's JS heap over a long live job (after a forced GC each minute, via CDP).
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1024 / 1024;
  };
  const samples: { minute: number; heapMb: number; points: number; step: number }[] = [];
  for (let minute = 0; minute <= MEMORY_MINUTES; minute++) {
    if (minute > 0) await page.waitForTimeout(60_000);
    samples.push({ minute, heapMb: await heap(), points: Number(await page.locator('.plot').getAttribute('data-train-points')), step });
    const s = samples.at(-1)!;
    console.log(`  minute ${s.minute}: heap ${s.heapMb.toFixed(2)} MB, chart points ${s.points}, step ${s.step}, load average ${loadavg()[0]!.toFixed(2)}`);
  }
  const first = samples[1] ?? samples[0]!;
  const last = samples.at(-1)!;
  const max = samples.slice(1).reduce((m, s) => (s.heapMb > m.heapMb ? s : m), first);
  console.log(`heap after GC: ${first.heapMb.toFixed(2)} MB at minute ${first.minute} → ${last.heapMb.toFixed(2)} MB at minute ${last.minute} (${(last.heapMb - first.heapMb).toFixed(2)} MB), max ${max.heapMb.toFixed(2)} MB at minute ${max.minute}, while ${last.step - first.step} more points arrived (${((last.step - first.step) / Math.max(1, (last.minute - first.minute) * 60)).toFixed(1)}/s)`);
  feeding = false;
  await feeder;
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
