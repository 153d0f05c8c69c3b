import { VALUES_PER_POINT, benchPoint } from './ours.js';
import { createRun, loadMlflowSeries, type MlflowServer } from './mlflow.js';
import { median, timeRuns } from './stats.js';

const KEYS = ['loss', 'learning_rate', 'grad_norm', 'epoch', 'tokens_per_second', 'gpu_utilization', 'gpu_memory_gb'] as const;

/**
 * Metric values persisted per second through POST runs/log-batch, 1,000 per call (its limit):
 * the same seven values per step our points carry, so ~142 steps per call.
 */
export async function mlflowIngestion(mlflow: MlflowServer, options: { runs: number; callsPerRun: number; budgetMs: number }) {
  const deadline = Date.now() + options.budgetMs;
  const stepsPerCall = Math.floor(1000 / VALUES_PER_POINT);
  let values = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.runs }, async (_, r) => {
      const runId = await createRun(mlflow, `ingest-${options.runs}-${r}`);
      for (let call = 0; call < options.callsPerRun && Date.now() < deadline; call++) {
        const timestamp = Date.now();
        const metrics = Array.from({ length: stepsPerCall }, (_, i) => {
          const point = benchPoint(call * stepsPerCall + i);
          const fields = [point.loss, point.learningRate, point.gradNorm, point.epoch, point.tokensPerSecond, point.gpuUtilization, point.gpuMemoryGb];
          return KEYS.map((key, k) => ({ key, value: fields[k]!, timestamp, step: point.step }));
        }).flat();
        await mlflow.call('POST', '/api/2.0/mlflow/runs/log-batch', { run_id: runId, metrics });
        values += metrics.length;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { values, seconds, valuesPerSecond: values / seconds };
}

/**
 * The history endpoints on a loaded series: get-history (every point; 1M when it answers within
 * the time limit, else a 100k series, and the result says which) and get-history-bulk-interval
 * with max_results=1000 (MLflow's own sampled read for charts).
 */
export async function mlflowHistory(mlflow: MlflowServer, options: { points: number; fallbackPoints: number; runs: number; fullTimeoutMs: number }) {
  const runId = await createRun(mlflow, 'history-1m');
  const loadSeconds = await loadMlflowSeries(mlflow, runId, options.points);
  const interval = `/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=${runId}&metric_key=loss&max_results=1000`;
  const first = await mlflow.call<{ metrics: unknown[] }>('GET', interval);
  const bulkInterval = await timeRuns(options.runs, 60_000, () => mlflow.call('GET', interval, undefined, 60_000));

  let full: { points: number; ms: number; returned: number } | { points: number; error: string };
  try {
    const started = performance.now();
    const body = await mlflow.call<{ metrics: unknown[] }>('GET', `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`, undefined, options.fullTimeoutMs);
    full = { points: options.points, ms: performance.now() - started, returned: body.metrics.length };
  } catch (error) {
    const fallbackRun = await createRun(mlflow, 'history-fallback');
    await loadMlflowSeries(mlflow, fallbackRun, options.fallbackPoints);
    const started = performance.now();
    try {
      const body = await mlflow.call<{ metrics: unknown[] }>('GET', `/api/2.0/mlflow/metrics/get-history?run_id=${fallbackRun}&metric_key=loss`, undefined, options.fullTimeoutMs);
      full = { points: options.fallbackPoints, ms: performance.now() - started, returned: body.metrics.length };
    } catch (fallbackError) {
      full = { points: options.fallbackPoints, error: `${(error as Error).message}; then ${(fallbackError as Error).message}` };
    }
  }
  return { loadSeconds, bulkIntervalMs: median(bulkInterval), bulkIntervalReturned: first.metrics.length, full };
}
