import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainerTokenFor } from '../src/auth/keys.js';
import { TRAINER_INPUT_BOUNDS as B } from '../src/schema/trainer/bounds.js';
import { startTestServer, uploadFile, type TestServer } from './harness.js';

// The trainer endpoint (/trainer/graphql) held to the public endpoint's edge: the job token is
// checked from the headers before a byte of the body is read, each token has its own rate with
// Retry-After, bodies/tokens/depth are bounded, and every input of the trainer schema is bounded.

const SAMPLE = new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.json', import.meta.url);
const RATE_PER_TOKEN = 40;
const REPORT = 'mutation($jobId: ID!, $input: TrainerReportInput!) { trainerReport(jobId: $jobId, input: $input) { acceptedMetrics duplicateMetrics cancelRequested } }';

let server: TestServer;
let secret: string;
const jobs: string[] = [];

beforeAll(async () => {
  server = await startTestServer('pglite', {
    BRIGHTRUN_PROVIDER: 'demo',
    BRIGHTRUN_SUPERVISOR_TICK_MS: '600000',
    BRIGHTRUN_TRAINER_RATE_LIMIT_PER_TOKEN: String(RATE_PER_TOKEN),
    BRIGHTRUN_MAX_BODY_KB: '256',
  });
  secret = (await readFile(path.join(server.dataDir, 'secret.key'), 'utf8')).trim();
  const datasetId = (await uploadFile(server, { name: 's.json', content: await readFile(SAMPLE) })).data!.uploadDataset.dataset.id;
  for (let i = 0; i < 3; i++) {
    const r = await server.gql(`mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { ... on StartTrainingJobSuccess { job { id } } } }`, { input: { plan: { datasetId }, acknowledgeDatasetWarnings: true } });
    jobs.push(r.data!.startTrainingJob.job.id);
  }
  for (const id of jobs) await server.services.lifecycle.apply(id, { type: 'PROVISION' }, { kind: 'provisioning', message: 'test pod' });
});
afterAll(() => server?.stop());

const tokenOf = (jobId: string) => trainerTokenFor(secret, jobId);
const report = (jobId: string, input: Record<string, unknown>) => server.trainerGql(REPORT, { jobId, input }, tokenOf(jobId));
const trainerUrl = () => new URL(`${server.graphqlUrl.replace(/\/graphql$/, '')}/trainer/graphql`);

/**
 * A POST that declares `declaredBytes` of body but sends only `sentBytes` of it, then waits for the
 * answer: a response can only come back if the server answered without reading the body.
 */
function declareHugeBody(token: string, declaredBytes: number, sentBytes: number, contentType = 'application/json') {
  const url = trainerUrl();
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; ms: number }>((resolve, reject) => {
    const started = performance.now();
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': contentType, 'content-length': String(declaredBytes), authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode!, headers: res.headers, body, ms: performance.now() - started });
      });
    });
    req.on('error', reject);
    req.write(`{"query":"${'a'.repeat(Math.max(0, sentBytes - 11))}`);
    // The rest of the declared body never comes; a server that waits for it never answers.
    setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within 5 s: the server waited for the ${declaredBytes} declared bytes`));
    }, 5_000).unref();
  });
}

describe('trainer endpoint: limits before work', () => {
  it('refuses a bad job token with a 100 MB body at once, from the headers, without reading the body', async () => {
    for (const token of ['brj_forged000000000000000000000000000000000', 'brj_x', 'not-a-token', server.adminKey]) {
      const answer = await declareHugeBody(token, 100 * 1024 * 1024, 64 * 1024);
      expect(answer.status, token).toBe(401);
      expect(JSON.parse(answer.body).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(answer.ms).toBeLessThan(2_000);
    }
    // A forged token for a real job (right format, wrong signature) is the same 401.
    const forged = `${tokenOf(jobs[0]!).slice(0, -4)}AAAA`;
    expect((await server.trainerGql(REPORT, { jobId: jobs[0], input: {} }, forged)).status).toBe(401);
  });

  it('refuses an over-limit declared body with a valid token before reading it (413), and a multipart body (415)', async () => {
    const large = await declareHugeBody(tokenOf(jobs[2]!), 50 * 1024 * 1024, 16 * 1024);
    expect(large.status).toBe(413);
    expect(JSON.parse(large.body).errors[0].extensions).toMatchObject({ code: 'REQUEST_TOO_LARGE', limitName: 'bodyBytes', limit: 256 * 1024 });
    const multipart = await declareHugeBody(tokenOf(jobs[2]!), 10 * 1024 * 1024, 1024, 'multipart/form-data; boundary=x');
    expect(multipart.status).toBe(415);
    expect(JSON.parse(multipart.body).errors[0].message).toMatch(/application\/json bodies only/);
  });

  it('holds documents to the token, depth and alias limits', async () => {
    const token = tokenOf(jobs[2]!);
    const deep = await server.trainerGql(`query { ${'trainerJob(jobId: "x") { '.repeat(40)}${'}'.repeat(40)} }`, {}, token);
    expect(deep).toMatchObject({ status: 400, errors: [{ extensions: { code: 'QUERY_TOO_COMPLEX', limitName: 'depth' } }] });
    const many = await server.trainerGql(`query { ${Array.from({ length: 3_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`, {}, token);
    expect(many).toMatchObject({ status: 400, errors: [{ extensions: { code: 'QUERY_TOO_COMPLEX', limitName: 'tokens' } }] });
    const aliases = await server.trainerGql(`query { ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ')} }`, {}, token);
    expect(aliases).toMatchObject({ status: 400, errors: [{ extensions: { code: 'QUERY_TOO_COMPLEX', limitName: 'aliases' } }] });
  });

  it(`rate-limits each job token (${RATE_PER_TOKEN} per minute here) with Retry-After; other tokens are not affected`, async () => {
    const jobId = jobs[1]!;
    for (let i = 0; i < RATE_PER_TOKEN; i += 1) expect((await report(jobId, {})).errors).toBeUndefined();
    const url = trainerUrl();
    const refused = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(jobId)}` }, body: JSON.stringify({ query: REPORT, variables: { jobId, input: {} } }) });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = await refused.json();
    expect(body.errors[0]).toMatchObject({ message: expect.stringMatching(/with this job token.*retry after/), extensions: { code: 'RATE_LIMITED', limitName: 'requestsPerTrainerToken', setting: 'BRIGHTRUN_TRAINER_RATE_LIMIT_PER_TOKEN', limit: RATE_PER_TOKEN } });
    expect((await report(jobs[0]!, {})).errors).toBeUndefined();
  });
});

describe('trainer endpoint: every input bounded', () => {
  const refusal = async (input: Record<string, unknown>, jobId = jobs[0]!) => {
    const result = await report(jobId, input);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    return result.errors![0]!.message;
  };
  const point = (extra: Record<string, unknown> = {}) => ({ split: 'TRAIN', step: 1, ...extra });

  it('refuses metric batches over 1,000 points and values out of range, naming the field', async () => {
    expect(await refusal({ metrics: Array.from({ length: 1001 }, (_, i) => point({ step: i })) })).toMatch(/input\.metrics: at most 1000 items \(got 1001\)/);
    expect(await refusal({ metrics: [point({ step: -1 })] })).toMatch(/input\.metrics\[0\]\.step: must be at least 0/);
    expect(await refusal({ metrics: [point({ loss: -0.5 })] })).toMatch(/input\.metrics\[0\]\.loss: must be at least 0/);
    expect(await refusal({ metrics: [point({ loss: B.maxLoss * 2 })] })).toMatch(/input\.metrics\[0\]\.loss: must be at most 1000000/);
    expect(await refusal({ metrics: [point({ gpuUtilization: 101 })] })).toMatch(/input\.metrics\[0\]\.gpuUtilization: must be at most 100 \(got 101\)/);
    expect(await refusal({ metrics: [point({ learningRate: 11 })] })).toMatch(/learningRate: must be at most 10/);
    expect(await refusal({ metrics: [point({ gpuMemoryGb: -1 })] })).toMatch(/gpuMemoryGb: must be at least 0/);
    expect(await refusal({ progress: { step: 1, totalSteps: -1, epoch: 0, totalEpochs: 1 } })).toMatch(/input\.progress\.totalSteps: must be at least 0/);
    expect(await refusal({ progress: { step: 1, totalSteps: 10, epoch: B.maxEpochs + 1, totalEpochs: 1 } })).toMatch(/input\.progress\.epoch: must be at most 10000/);
  });

  it('refuses strings over their length, NUL anywhere, too many events, and ids of the wrong kind', async () => {
    expect(await refusal({ substatus: 'x'.repeat(B.substatusMaxLength + 1) })).toMatch(/input\.substatus: at most 500 characters \(got 501\)/);
    expect(await refusal({ substatus: 'tokeniz\u0000ing' })).toMatch(/input\.substatus: must not contain the NUL character/);
    expect(await refusal({ events: [{ level: 'INFO', kind: 'log', message: 'm'.repeat(B.eventMessageMaxLength + 1) }] })).toMatch(/input\.events\[0\]\.message: at most 10,000 characters/);
    expect(await refusal({ events: [{ level: 'INFO', kind: 'k'.repeat(B.eventKindMaxLength + 1), message: 'm' }] })).toMatch(/input\.events\[0\]\.kind: at most 100 characters/);
    expect(await refusal({ events: [{ level: 'INFO', kind: 'log', message: 'a\u0000b' }] })).toMatch(/input\.events\[0\]\.message: must not contain the NUL/);
    expect(await refusal({ events: Array.from({ length: B.maxEvents + 1 }, () => ({ level: 'INFO', kind: 'log', message: 'm' })) })).toMatch(/input\.events: at most 200 items/);
    const wrongId = await server.trainerGql(REPORT, { jobId: 'ds_0000000000000000000', input: {} }, tokenOf(jobs[0]!));
    expect(wrongId.errors?.[0]).toMatchObject({ message: expect.stringMatching(/jobId: "ds_0+" is a Dataset id; this needs a TrainingJob id/), extensions: { code: 'BAD_USER_INPUT' } });
    const fail = await server.trainerGql('mutation($jobId: ID!, $failure: TrainerFailureInput!) { trainerFail(jobId: $jobId, failure: $failure) { jobId } }', { jobId: jobs[0], failure: { code: 'INTERNAL', message: 'boom', detail: 'd'.repeat(B.failureDetailMaxLength + 1) } }, tokenOf(jobs[0]!));
    expect(fail.errors?.[0]?.message).toMatch(/failure\.detail: at most 20,000 characters/);
    const files = await server.trainerGql('mutation($jobId: ID!, $files: [TrainerFileInput!]!) { trainerRequestCheckpointUpload(jobId: $jobId, step: 1, files: $files) { checkpointId } }', { jobId: jobs[0], files: [{ name: 'a.bin', sizeBytes: -5, sha256: 'a'.repeat(64) }] }, tokenOf(jobs[0]!));
    expect(files.errors?.[0]?.message).toMatch(/files\[0\]\.sizeBytes: must be at least 0/);
    // Nothing of the refused reports was stored, and the job did not fail.
    expect(await server.services.db.prisma.metricPoint.count({ where: { jobId: jobs[0] } })).toBe(0);
    expect((await server.services.db.prisma.trainingJob.findUniqueOrThrow({ where: { id: jobs[0] } })).status).not.toBe('FAILED');
  });

  it('still takes a legitimate report at the edge of every bound', async () => {
    const metrics = Array.from({ length: 1000 }, (_, i) => point({ step: i, loss: 2.5, learningRate: 2e-4, gradNorm: 1e6, epoch: 1.5, tokensPerSecond: 4_000, gpuUtilization: 100, gpuMemoryGb: 79.5, perplexity: 1e300 }));
    const ok = await report(jobs[0]!, {
      stage: 'TRAINING',
      substatus: 's'.repeat(B.substatusMaxLength),
      progress: { step: 999, totalSteps: 1000, epoch: 1.5, totalEpochs: 2 },
      metrics,
      events: [{ level: 'WARNING', kind: 'k'.repeat(B.eventKindMaxLength), message: 'm'.repeat(B.eventMessageMaxLength) }],
    });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.trainerReport).toEqual({ acceptedMetrics: 1000, duplicateMetrics: 0, cancelRequested: false });
  });
});
