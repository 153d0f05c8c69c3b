import { ViewerDocument, type ViewerQuery } from './graphql/generated/graphql.js';
import { SCHEMA_VERSION } from './graphql/generated/schema-version.js';
import { Transport, type ClientOptions, type RequestOptions } from './core/transport.js';
import type { Platform } from './platform.js';
import { Artifacts } from './resources/artifacts.js';
import { Estimates, Presets } from './resources/catalog.js';
import { Datasets } from './resources/datasets.js';
import { Jobs } from './resources/jobs.js';
import { Notifications, Spend } from './resources/workspace.js';
import { SDK_VERSION } from './version.js';

export type Viewer = ViewerQuery['viewer'];

/** The client, without a platform: the package's entries (Node, browser) give it theirs. */
export class BrightRunClient {
  /** The API contract version these types were generated from (schema/released/v…). */
  static readonly SCHEMA_VERSION = SCHEMA_VERSION;
  static readonly SDK_VERSION = SDK_VERSION;

  /** Upload, list, get and delete datasets. */
  readonly datasets: Datasets;
  /** The presets and the whole configurator catalog. */
  readonly presets: Presets;
  /** Duration and cost before you commit. */
  readonly estimates: Estimates;
  /** Start, follow, cancel and wait for training jobs; their live metrics. */
  readonly jobs: Jobs;
  /** Trained adapters: list, get, download with checksums. */
  readonly artifacts: Artifacts;
  /** The workspace's notifications, listed or live. */
  readonly notifications: Notifications;
  /** GPU spend per month against the budget. */
  readonly spend: Spend;
  /** HTTP, retries and errors (for advanced use: `transport.graphql(document, variables)`). */
  readonly transport: Transport;

  protected constructor(options: ClientOptions, platform: Platform) {
    this.transport = new Transport(options, platform);
    this.datasets = new Datasets(this.transport);
    this.presets = new Presets(this.transport);
    this.estimates = new Estimates(this.transport);
    this.jobs = new Jobs(this.transport);
    this.artifacts = new Artifacts(this.transport);
    this.notifications = new Notifications(this.transport);
    this.spend = new Spend(this.transport);
  }

  /** The server address in use (without /graphql). */
  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  /** Who the key acts for: its workspace and scopes. A cheap way to check a key and the server's API version. */
  async viewer(options: RequestOptions = {}): Promise<Viewer> {
    const { data } = await this.transport.graphql(ViewerDocument, {}, { ...options, idempotent: true });
    return data.viewer;
  }
}
