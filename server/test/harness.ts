import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp, type StartedApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { generateApiKey } from '../src/auth/keys.js';
import { createTempDatabase } from '../src/db/temp-database.js';

export type Backend = 'pglite' | 'postgres';

/**
 * The database backends an integration suite runs against: PGlite always, Postgres when
 * TEST_DATABASE_URL names a server (CI sets it; real-components.test.ts fails CI without it).
 */
export const BACKENDS: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface TestServer extends StartedApp {
  graphqlUrl: string;
  adminKey: string;
  dataDir: string;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<GraphQLResponse<T>>;
  /** The training pods' endpoint (/trainer/graphql), with a job token. */
  trainerGql<T = Record<string, any>>(query: string, variables: Record<string, unknown>, token: string | null): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
  /** Stops the server abruptly for its jobs and starts a new one on the same port, data and database. */
  restart(): Promise<void>;
}

export async function startTestServer(backend: Backend, env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'brightrun-test-'));
  // env.DATABASE_URL: join a database another test server uses (several instances, one database).
  const database = backend === 'postgres' && !env.DATABASE_URL ? await createTempDatabase(process.env.TEST_DATABASE_URL!, 'test') : undefined;
  const adminKey = env.BRIGHTRUN_ADMIN_KEY ?? generateApiKey();
  const config = loadConfig({
    PORT: '0',
    BRIGHTRUN_DATA_DIR: dataDir,
    BRIGHTRUN_ADMIN_KEY: adminKey,
    BRIGHTRUN_DEMO_DATA: 'off',
    NODE_ENV: 'test',
    // Suites poll in tight loops from one address with one key; the abuse suites set these limits.
    BRIGHTRUN_RATE_LIMIT_PER_KEY: '0',
    BRIGHTRUN_RATE_LIMIT_PER_IP: '0',
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...env,
  });
  let app = buildApp(config, () => undefined);
  const started = await app.start();
  const graphqlUrl = `${started.url}/graphql`;
  const post = async (url: string, query: string, variables: Record<string, unknown> | undefined, key: string | null) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphQLResponse;
    return { ...body, status: response.status } as never;
  };
  const server: TestServer = {
    ...started,
    graphqlUrl,
    adminKey,
    dataDir,
    gql: (query, variables, key = adminKey) => post(graphqlUrl, query, variables, key),
    trainerGql: (query, variables, token) => post(`${started.url}/trainer/graphql`, query, variables, token),
    async stop() {
      await app.stop();
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
    async restart() {
      await app.stop();
      app = buildApp({ ...config, port: started.port }, () => undefined);
      const again = await app.start();
      server.services = again.services;
    },
  };
  return server;
}

/** A multipart upload per the GraphQL multipart request spec, as browser clients send it. */
export async function uploadFile(server: TestServer, file: { name: string; content: Uint8Array | string; type?: string }, args: { name?: string } = {}, key = server.adminKey) {
  const query = `mutation Upload($file: Upload!, $name: String) {
    uploadDataset(input: { file: $file, name: $name }) {
      __typename
      ... on UploadDatasetSuccess { dataset { id name importStatus encoding conversationCount trainingPairCount trainablePairCount sha256 sizeBytes readiness { ready checks { key passed value threshold message blocking } } } }
      ... on Error { message code }
      ... on DatasetInvalidError { kind problemCount problems { line conversation field message } }
      ... on DuplicateDatasetError { existingDataset { id name } }
    }
  }`;
  const form = new FormData();
  form.set('operations', JSON.stringify({ query, variables: { file: null, name: args.name ?? null } }));
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new Blob([file.content as BlobPart], { type: file.type ?? 'application/json' }), file.name);
  const response = await fetch(server.graphqlUrl, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'graphql-require-preflight': '1' }, body: form });
  const body = (await response.json()) as GraphQLResponse;
  return { ...body, status: response.status };
}

const JOB_FIELDS = `id status isSimulated provider currentStep totalSteps spendUsd progress errorMessage cancelReason interruptionCount
  estimate { hours { low high } cost { lowUsd highUsd pricePerHourUsd priceSource } totalSteps }
  stages { stage attempt durationSeconds } attempts { number podId endReason spendUsd pricePerHourUsd cloudType }
  events { kind rawKind level message }
  artifact { id name version qualityRating files { name sizeBytes sha256 downloadUrl } dataset { id } job { id } }`;

/** A job that finished and whose pods were released (attempts closed). */
export const settled = (j: Record<string, any>) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(j.status) && j.attempts.every((a: { endReason: string | null }) => a.endReason);

/** Polls a job (with its stages, attempts, events and artifact) until `done` holds. */
export async function waitForJob(server: TestServer, id: string, done: (job: Record<string, any>) => boolean, timeoutMs = 40_000) {
  const deadline = Date.now() + timeoutMs;
  let job: Record<string, any> = {};
  while (Date.now() < deadline) {
    job = (await server.gql(`query($id: ID!) { trainingJob(id: $id) { ${JOB_FIELDS} } }`, { id })).data!.trainingJob;
    if (done(job)) return job;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`job ${id} did not get there in time; last seen ${JSON.stringify({ status: job.status, events: job.events?.slice(-5) })}`);
}

