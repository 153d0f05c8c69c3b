// Everything both entries export besides the client class.
export * from './errors.js';
export type { ClientOptions, RequestOptions, GraphQLAnswer } from './core/transport.js';
export { DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './core/transport.js';
export { PagedList, type Page, type ListOptions } from './core/pagination.js';
export type { Dataset, UploadSource, UploadOptions, DatasetListOptions, TransferProgress } from './resources/datasets.js';
export { FINISHED_STATUSES, JobMetrics, type Job, type MetricPoint, type LiveMetricPoint, type StartJobParams, type StreamOptions, type MetricsStreamOptions, type HistoryOptions, type WaitOptions, type JobListOptions } from './resources/jobs.js';
export type { Artifact, DownloadOptions, DownloadedFile, ArtifactListOptions } from './resources/artifacts.js';
export type { TrainingCatalog, Preset, Estimate } from './resources/catalog.js';
export type { Notification, MonthlySpend, NotificationListOptions } from './resources/workspace.js';
export type { Viewer } from './client.js';
export type { WebSocketConstructor } from './platform.js';
export type * as Schema from './graphql/generated/graphql.js';
export { SCHEMA_VERSION } from './graphql/generated/schema-version.js';
export { SDK_VERSION } from './version.js';
