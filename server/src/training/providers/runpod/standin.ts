/**
 * A RunPod stand-in on a loopback port: REST v2 (every body and query validated against RunPod's
 * published OpenAPI document) and the GraphQL operations REST lacks, with pods that "run" through
 * an injected `launch` and faults that tests and demos can inject. Point a `RunPodClient` at
 * `restUrl` / `graphqlUrl` with `apiKey`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleGraphql } from './standin-graphql.js';
import { OpenApiContract } from './standin-openapi.js';
import { PodFleet, type StandInLaunch, type StandInPod } from './standin-pods.js';
import { handleRest } from './standin-rest.js';
import { STANDIN_DATA_CENTERS, volumeView, type StandInDataCenter } from './standin-volumes.js';
import { MESSAGES, STANDIN_GPU_PRICES, problem, type Faults, type HttpAnswer, type StandInGpuPrice, type StandInState } from './standin-state.js';

export type { StandInLaunch, StandInLaunchedPod, StandInProcess, StandInPod } from './standin-pods.js';
export { STANDIN_GPU_PRICES, type StandInGpuPrice } from './standin-state.js';
export { STANDIN_DATA_CENTERS, type StandInDataCenter } from './standin-volumes.js';

export interface RunPodStandInOptions {
  /** Starts the pod's workload with its env; the lead passes one that spawns the trainer. */
  launch: StandInLaunch;
  /** The only Bearer key accepted. @default 'standin-runpod-key' */
  apiKey?: string;
  /** @default shared/reference/runpod-rest-v2.openapi.json */
  openApiPath?: string;
  /** Per GPU type; replaces the defaults for the types given. */
  prices?: Record<string, StandInGpuPrice>;
  /** SIGTERM → SIGKILL grace on interruption and stop. @default 5000 */
  killGraceMs?: number;
  /** Time from create (or resume) to launch. @default 0 */
  provisioningMs?: number;
  /**
   * Disk billed while a pod runs, per GB-month (RunPod charges $0.10). The default keeps a pod's
   * billed total equal to its hourly price × running time. @default 0
   */
  diskUsdPerGbMonth?: number;
  /** Clock for uptime and billing. @default Date.now */
  now?: () => number;
  /** Data centers, their storage tiers and GPU stock. @default STANDIN_DATA_CENTERS */
  dataCenters?: StandInDataCenter[];
}

export interface RecordedRequest {
  method: string;
  /** Percent-decoded pathname. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** Root fields of a GraphQL request. */
  graphqlFields?: string[];
}

export interface RunPodStandIn {
  url: string;
  restUrl: string;
  graphqlUrl: string;
  apiKey: string;
  requests: RecordedRequest[];
  pod(id: string): Readonly<StandInPod> | undefined;
  pods(): ReadonlyArray<Readonly<StandInPod>>;
  /** Resolves once the pod reaches `status` (polling the stand-in's own state). */
  waitForStatus(podId: string, status: StandInPod['status'], timeoutMs?: number): Promise<void>;
  /** The next n pod creations (REST or spot) fail with RunPod's no-capacity answer. */
  failNextCreates(n: number, kind?: 'NO_CAPACITY'): void;
  /** The next n spot resumes fail: the host has no free GPU. */
  failNextResumes(n: number): void;
  /** The next n requests of any kind get 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext(n: number, retryAfterSeconds: number): void;
  /** The next n requests get 500 "Something went wrong". */
  serverErrorNext(n: number): void;
  /** A spot interruption: SIGTERM, SIGKILL after the grace period unless exited, then EXITED. */
  interrupt(podId: string): Promise<void>;
  /** The next pod created stays PROVISIONING for ever. */
  neverStart(): void;
  insufficientBalance(on?: boolean): void;
  /** The spot mutations disappear from the GraphQL schema (as RunPod has said they may). */
  spotUnavailable(on?: boolean): void;
  /** The network volumes as the REST API would list them. */
  volumes(): Array<ReturnType<typeof volumeView>>;
  /** Sets a GPU's stock in a data center ('NONE' or absent: not offered there). */
  setGpuStock(dataCenterId: string, gpuTypeId: string, level: 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | null): void;
  close(): Promise<void>;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, answer: HttpAnswer): void {
  const headers = { ...(answer.body === undefined ? {} : { 'content-type': 'application/json' }), ...answer.headers };
  res.writeHead(answer.status, headers);
  if (answer.stream) {
    answer.stream(
      (chunk) => res.write(chunk),
      () => res.end(),
      (fn) => res.on('close', fn),
    );
    return;
  }
  res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
}

export async function startRunPodStandIn(options: RunPodStandInOptions): Promise<RunPodStandIn> {
  const apiKey = options.apiKey ?? 'standin-runpod-key';
  const now = options.now ?? Date.now;
  const contract = new OpenApiContract(options.openApiPath);
  const fleet = new PodFleet({
    launch: options.launch,
    killGraceMs: options.killGraceMs ?? 5000,
    provisioningMs: options.provisioningMs ?? 0,
    now,
  });
  const faults: Faults = {
    noCapacityCreates: 0, noCapacityResumes: 0, serverErrors: 0, rateLimited: 0, retryAfterSeconds: 1,
    neverStartNext: false, insufficientBalance: false, spotUnavailable: false,
  };
  const state: StandInState = {
    fleet, contract, faults, now,
    prices: { ...STANDIN_GPU_PRICES, ...options.prices },
    diskUsdPerGbMonth: options.diskUsdPerGbMonth ?? 0,
    dataCenters: structuredClone(options.dataCenters ?? STANDIN_DATA_CENTERS),
    volumes: new Map(),
    takeNeverStart: () => {
      const never = faults.neverStartNext;
      faults.neverStartNext = false;
      return never;
    },
  };
  const requests: RecordedRequest[] = [];

  const answer = (req: IncomingMessage, url: URL, text: string, body: unknown, record: RecordedRequest): HttpAnswer => {
    const isGraphql = url.pathname === '/graphql';
    const fail = (status: number, message: string, headers: Record<string, string> = {}): HttpAnswer =>
      isGraphql
        ? { status, headers, body: { errors: [{ message }] } }
        : { ...problem(status, message, message), headers: { 'content-type': 'application/problem+json', ...headers } };
    if (req.headers.authorization !== `Bearer ${apiKey}`) return fail(401, 'Unauthorized');
    if (faults.rateLimited > 0) {
      faults.rateLimited -= 1;
      return fail(429, 'Too Many Requests', { 'retry-after': String(faults.retryAfterSeconds) });
    }
    if (faults.serverErrors > 0) {
      faults.serverErrors -= 1;
      return fail(500, MESSAGES.transient);
    }
    if (isGraphql) {
      if (req.method !== 'POST') return fail(405, 'GraphQL requests are POSTs');
      const result = handleGraphql(state, body);
      record.graphqlFields = result.fields;
      return result;
    }
    const op = contract.match(req.method ?? 'GET', url.pathname);
    if (!op) return problem(404, 'Not Found', `no route for ${url.pathname}`);
    if ('allowed' in op) {
      const refused = problem(405, 'Method Not Allowed', `${req.method} is not allowed on ${url.pathname}`);
      return { ...refused, headers: { ...refused.headers, allow: op.allowed.join(', ') } };
    }
    const violations = [...contract.validateQuery(op, url.searchParams), ...contract.validateBody(op, body, text)];
    if (violations.length > 0) {
      return problem(422, 'Unprocessable Entity', 'The request does not match the API contract.', violations);
    }
    const lastEventId = req.headers['last-event-id'];
    return handleRest(state, op, url.searchParams, body, {
      lastEventId: typeof lastEventId === 'string' ? lastEventId : null,
    });
  };

  const server = createServer((req, res) => {
    void (async () => {
      const text = await readText(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let body: unknown = undefined;
      try {
        body = text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        body = undefined;
      }
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path: safeDecode(url.pathname),
        query: Object.fromEntries(url.searchParams),
        body: body ?? (text || undefined),
      };
      requests.push(record);
      send(res, answer(req, url, text, body, record));
    })().catch((error: unknown) => {
      if (!res.headersSent) send(res, problem(500, 'Internal Server Error', String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const requirePod = (podId: string) => {
    const pod = fleet.get(podId);
    if (!pod) throw new Error(`the stand-in has no pod ${podId}`);
    return pod;
  };

  return {
    url,
    restUrl: `${url}/v2`,
    graphqlUrl: `${url}/graphql`,
    apiKey,
    requests,
    pod: (id) => fleet.get(id),
    pods: () => fleet.list(),
    waitForStatus: async (podId, status, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (requirePod(podId).status !== status) {
        if (Date.now() > deadline) throw new Error(`pod ${podId} is ${requirePod(podId).status}, not ${status}, after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    failNextCreates: (n) => void (faults.noCapacityCreates = n),
    failNextResumes: (n) => void (faults.noCapacityResumes = n),
    rateLimitNext: (n, retryAfterSeconds) => {
      faults.rateLimited = n;
      faults.retryAfterSeconds = retryAfterSeconds;
    },
    serverErrorNext: (n) => void (faults.serverErrors = n),
    interrupt: (podId) => fleet.interrupt(requirePod(podId)),
    neverStart: () => void (faults.neverStartNext = true),
    insufficientBalance: (on = true) => void (faults.insufficientBalance = on),
    spotUnavailable: (on = true) => void (faults.spotUnavailable = on),
    volumes: () => [...state.volumes.values()].map(volumeView),
    setGpuStock: (dataCenterId, gpuTypeId, level) => {
      const dc = state.dataCenters.find((d) => d.id === dataCenterId);
      if (!dc) throw new Error(`the stand-in has no data center ${dataCenterId}`);
      if (level === null) delete dc.gpus[gpuTypeId];
      else dc.gpus[gpuTypeId] = level;
    },
    close: async () => {
      fleet.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
