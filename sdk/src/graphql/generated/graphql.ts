/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant, as an ISO-8601 string in UTC (e.g. "2026-11-28T09:30:00.000Z"). */
  DateTime: { input: string; output: string; }
  /** Free-form JSON, used only for data whose shape the source file decides (e.g. file metadata). */
  JSON: { input: unknown; output: unknown; }
  /** A whole number beyond Int's 32 bits, exact up to 2^53 − 1 (−9,007,199,254,740,991 to 9,007,199,254,740,991): a JSON number every JavaScript client reads without loss. Byte sizes and token totals use it. */
  SafeInt: { input: number; output: number; }
  /** A file sent with the GraphQL multipart request spec (https://github.com/jaydenseric/graphql-multipart-request-spec). */
  Upload: { input: unknown; output: unknown; }
};

export type ApiKeyScope =
  /** Manage API keys and workspace settings. */
  | 'ADMIN'
  /** Queries and subscriptions. */
  | 'READ'
  /** Mutations: upload datasets, start and cancel jobs. */
  | 'WRITE';

export type ArtifactStatus =
  /** Kept, but no longer in use. */
  | 'ARCHIVED'
  /** In use. */
  | 'PRODUCTION'
  /** Trained and stored (the starting status). */
  | 'STORED'
  /** Being evaluated. */
  | 'TESTING';

export type AttemptEndReason =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'FAILED'
  | 'INTERRUPTED';

/** How an attempt's pod run ended, as the supervisor classified it. */
export type AttemptExit =
  /** Cancelled by a user. */
  | 'CANCELLED'
  /** The trainer finished the job. */
  | 'COMPLETED'
  /** Stopped by a limit (cost cap, maximum duration). */
  | 'LIMIT'
  /** The pod exited without a word from the trainer: retried at most twice. */
  | 'SILENT_EXIT'
  /** The provider stopped the pod (the trainer reported SIGTERM): resumed from the last checkpoint. */
  | 'SPOT_INTERRUPTION'
  /** The trainer went silent, or reported without step progress past the stall limit. */
  | 'STALLED'
  /** The pod did not start in time. */
  | 'START_TIMEOUT'
  /** The trainer reported an error (out of memory, bad data…): the job failed with its reason and a fix. */
  | 'TRAINER_ERROR';

export type CancelTrainingJobInput = {
  id: Scalars['ID']['input'];
  /** 3–500 characters; kept in the job history. */
  reason: Scalars['String']['input'];
};

export type CloudType =
  /** Not interrupted; costs more per hour. */
  | 'ON_DEMAND'
  /** Interruptible and cheaper; resumes from the last checkpoint by itself. */
  | 'SPOT';

export type CompareDatasetsInput = {
  aId: Scalars['ID']['input'];
  bId: Scalars['ID']['input'];
};

export type ConversationRole =
  /** The consultant (the voice being trained). */
  | 'ASSISTANT'
  /** The client speaking. */
  | 'USER';

export type CreateApiKeyInput = {
  /** What the key is for, e.g. "CI" or "notebook" (1–100 characters). */
  name: Scalars['String']['input'];
  /** At least one of READ, WRITE, ADMIN. */
  scopes: Array<ApiKeyScope>;
};

export type CreateModelCacheVolumeInput = {
  /** One of modelCacheDataCenters, e.g. "US-KS-2". RunPod jobs of the workspace will run only there. */
  dataCenterId: Scalars['String']['input'];
  /** GB, 10–4096 (RunPod's bounds). Size it for the base models you train: their BF16 weights (Llama 3 70B ≈ 140 GB, 8B ≈ 16 GB). */
  sizeGb: Scalars['Int']['input'];
};

export type DatasetEncoding =
  /** One JSON document (training_file_metadata + conversations). */
  | 'JSON'
  /** One conversation per line, optional _meta line. */
  | 'JSONL';

export type DatasetFilter = {
  createdAfter?: InputMaybe<Scalars['DateTime']['input']>;
  createdBefore?: InputMaybe<Scalars['DateTime']['input']>;
  /** e.g. "brightrun-lora-v4". */
  format?: InputMaybe<Scalars['String']['input']>;
  importStatus?: InputMaybe<DatasetImportStatus>;
  maxQuality?: InputMaybe<Scalars['Float']['input']>;
  /** Average quality, 1–5. */
  minQuality?: InputMaybe<Scalars['Float']['input']>;
  /** Case-insensitive match on name, description or vertical (at most 200 characters). */
  search?: InputMaybe<Scalars['String']['input']>;
};

/** Where the file import stands. Whether the dataset can train is `readiness.ready`. */
export type DatasetImportStatus =
  /** Imported and measured; see `readiness` for whether it can train. */
  | 'IMPORTED'
  /** Waiting for the bytes of a signed upload. */
  | 'UPLOADING'
  /** Being parsed and measured. */
  | 'VALIDATING';

export type DatasetMeasure =
  | 'AVERAGE_QUALITY'
  | 'CONVERSATIONS'
  | 'HUMAN_REVIEWED_SHARE'
  | 'MEAN_TOKENS_PER_PAIR'
  | 'P95_TOKENS_PER_PAIR'
  | 'SIZE_BYTES'
  | 'TARGET_TOKENS'
  | 'TOTAL_TOKENS'
  | 'TRAINABLE_PAIRS'
  | 'TRAINING_PAIRS';

export type DatasetOrder = {
  direction?: InputMaybe<OrderDirection>;
  field: DatasetOrderField;
};

export type DatasetOrderField =
  | 'CREATED_AT'
  | 'NAME'
  /** Average quality; datasets without one come last. */
  | 'QUALITY'
  /** File size. */
  | 'SIZE';

export type DatasetProblemKind =
  | 'EMPTY'
  | 'INVALID_CONTENT'
  | 'INVALID_JSON'
  | 'TOO_LARGE'
  | 'WRONG_FORMAT';

export type DeleteDatasetInput = {
  /** The dataset's name, typed exactly: a wrong id then cannot delete the wrong dataset. */
  confirmName: Scalars['String']['input'];
  id: Scalars['ID']['input'];
};

export type DeleteModelArtifactInput = {
  /** The artifact's name, typed exactly. */
  confirmName: Scalars['String']['input'];
  id: Scalars['ID']['input'];
};

export type DeleteModelCacheVolumeInput = {
  /** The volume's name (modelCacheVolume.name), typed exactly: the cached weights are lost. */
  confirmName: Scalars['String']['input'];
};

export type DeleteTrainingConfigurationInput = {
  id: Scalars['ID']['input'];
};

export type DownsamplingMethod =
  /** The range cut into buckets of `bucketSteps` steps; per bucket the points with the lowest and the highest loss, plus the first and last points of the range. Every returned point is a real one, with all its fields. */
  | 'MIN_MAX'
  /** Every point in the range. */
  | 'RAW';

/** The stable code of an expected failure (`Error.code`). */
export type ErrorCode =
  /** Starting the job could pass the workspace's monthly budget. */
  | 'BUDGET_EXCEEDED'
  /** A destructive call whose confirmName did not match the name. */
  | 'CONFIRMATION_MISMATCH'
  /** The file is not a usable brightrun-lora-v4 dataset. */
  | 'DATASET_INVALID'
  /** The dataset failed a blocking readiness check. */
  | 'DATASET_NOT_READY'
  /** The same file is already a dataset of this workspace. */
  | 'DUPLICATE_DATASET'
  /** The job already finished. */
  | 'JOB_FINISHED'
  /** The receiver did not accept a test message (its status or the network error says why). */
  | 'NOTIFICATION_DELIVERY_FAILED'
  /** No Slack or webhook URL of that kind is saved (or it cannot be read back). */
  | 'NOTIFICATION_TARGET_NOT_SET'
  /** Nothing with that id in your workspace. */
  | 'NOT_FOUND'
  /** The GPU provider (RunPod) refused or failed the call; `message` has its words and the fix. */
  | 'PROVIDER_REFUSED'
  /** Still used by something that must finish first. */
  | 'RESOURCE_IN_USE'
  /** More test messages than the per-minute bound; retry after `retryAfterSeconds`. */
  | 'TOO_MANY_TEST_NOTIFICATIONS'
  /** A signed upload that cannot be finalized (expired, empty, or done already). */
  | 'UPLOAD_NOT_FINALIZABLE'
  /** Input refused; `fieldErrors` names each field and the fix. */
  | 'VALIDATION_FAILED';

export type EstimateStage =
  | 'FINALIZING'
  | 'MODEL_LOADING'
  | 'PREPROCESSING'
  | 'TRAINING';

export type EstimateWarningCode =
  | 'EXCEEDS_MAX_DURATION'
  | 'FALLBACK_PRICE'
  | 'GPU_NOT_IN_DATA_CENTER'
  | 'HUGGING_FACE_TOKEN_MISSING'
  | 'NO_TRAINABLE_PAIRS'
  | 'OUT_OF_MEMORY_RISK'
  | 'PROVIDER_NOT_READY'
  | 'SEQUENCE_TRUNCATED'
  | 'SPOT_INTERRUPTIONS';

export type EventLevel =
  | 'ERROR'
  | 'INFO'
  | 'WARNING';

export type ExportJobMetricsInput = {
  jobId: Scalars['ID']['input'];
};

export type FinalizeDatasetUploadInput = {
  id: Scalars['ID']['input'];
};

/** RunPod's stock level for a GPU type in a data center. */
export type GpuAvailability =
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM'
  /** Not offered there (or none at all). */
  | 'NONE';

export type HttpMethod =
  | 'POST'
  | 'PUT';

export type JobEventKind =
  /** Stopped by a limit (cost cap, maximum duration). */
  | 'AUTO_CANCELLED'
  /** Cancelled by a user (or the trainer acknowledged the cancel). */
  | 'CANCELLED'
  /** A resumable checkpoint was saved. */
  | 'CHECKPOINT'
  /** Trainer: the checkpoint interval it chose. */
  | 'CHECKPOINT_INTERVAL'
  /** Trainer: a checkpoint could not be uploaded (training goes on). */
  | 'CHECKPOINT_UPLOAD_FAILED'
  /** Finished; the adapter is stored. */
  | 'COMPLETED'
  /** Spend reached 80% of the estimate's high end. */
  | 'COST_WARNING_80'
  /** Spend reached the estimate's high end. */
  | 'COST_WARNING_100'
  /** Trainer: the dataset is tokenized and split. */
  | 'DATASET_PREPARED'
  /** Trainer: some pairs were longer than maxSequenceLength. */
  | 'EXAMPLES_TRUNCATED'
  /** Stopped with an error. */
  | 'FAILED'
  /** Trainer: its gradient checkpointing decision and why. */
  | 'GRADIENT_CHECKPOINTING'
  /** The (spot) pod was lost. */
  | 'INTERRUPTED'
  /** No pod could be started. */
  | 'LAUNCH_FAILED'
  /** The provider refused for now (capacity, rate limit); retrying. */
  | 'LAUNCH_RETRY'
  /** Trainer: metric points were dropped while the server was unreachable. */
  | 'METRICS_DROPPED'
  /** The pod exited silently too often; stopped. */
  | 'POD_DIED'
  /** The pod exited without a word from the trainer (no SIGTERM, no error); retried from the last checkpoint. */
  | 'POD_EXITED'
  /** The pod is up. */
  | 'POD_STARTED'
  /** The pod did not start in time; another is requested. */
  | 'POD_START_TIMEOUT'
  /** A pod is being requested. */
  | 'PROVISIONING'
  /** Trainer: NF4 was asked for without CUDA. */
  | 'QUANTIZATION_SKIPPED'
  /** The job was accepted and waits for a pod. */
  | 'QUEUED'
  /** An interrupted job gets a new pod. */
  | 'RESUMING'
  /** Trainer: the pod is being stopped (spot warning). */
  | 'SIGTERM'
  /** The trainer moved to another stage. */
  | 'STAGE'
  /** Interrupted too often; stopped. */
  | 'TOO_MANY_INTERRUPTIONS'
  /** Trainer: the failure it reported (rawKind is the failure code). */
  | 'TRAINER_FAILURE'
  /** Trainer: an event of a kind this API version does not know (see rawKind). */
  | 'TRAINER_OTHER'
  /** The trainer has not reported for a while. */
  | 'TRAINER_QUIET'
  /** The trainer stayed silent too long; stopped. */
  | 'TRAINER_SILENT'
  /** The trainer kept reporting but its step did not move for longer than the stall limit; stopped. */
  | 'TRAINING_STALLED';

export type JobStatus =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'FAILED'
  | 'FINALIZING'
  | 'INTERRUPTED'
  | 'MODEL_LOADING'
  | 'PREPROCESSING'
  | 'PROVISIONING'
  | 'QUEUED'
  | 'TRAINING';

export type LearningRateScheduler =
  /** Cosine decay after a linear warm-up. */
  | 'COSINE';

export type MarkNotificationsReadInput = {
  /** Every unread notification of the workspace. */
  all?: InputMaybe<Scalars['Boolean']['input']>;
  /** Notifications of this workspace (at most 500). */
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type MetricSplit =
  /** One point per evaluation on the held-out pairs. */
  | 'EVAL'
  /** One point per optimizer step. */
  | 'TRAIN';

export type ModelArtifactFilter = {
  /** The base model id exactly, e.g. "meta-llama/Meta-Llama-3-8B-Instruct" (see modelArtifactBaseModels). */
  baseModel?: InputMaybe<Scalars['String']['input']>;
  createdAfter?: InputMaybe<Scalars['DateTime']['input']>;
  createdBefore?: InputMaybe<Scalars['DateTime']['input']>;
  datasetId?: InputMaybe<Scalars['ID']['input']>;
  /** true: demo artifacts only; false: trained ones only. */
  isSimulated?: InputMaybe<Scalars['Boolean']['input']>;
  /** Case-insensitive match on the artifact's name or its dataset's name (at most 200 characters). */
  search?: InputMaybe<Scalars['String']['input']>;
  /** Any of these statuses. */
  status?: InputMaybe<Array<ArtifactStatus>>;
};

export type ModelArtifactOrder = {
  direction?: InputMaybe<OrderDirection>;
  field: ModelArtifactOrderField;
};

export type ModelArtifactOrderField =
  | 'CREATED_AT'
  /** Held-out loss; artifacts without one come last. */
  | 'EVAL_LOSS'
  | 'NAME'
  /** The 1–5 rating; artifacts without one come last. */
  | 'QUALITY'
  /** The per-dataset version number. */
  | 'VERSION';

export type NotificationKind =
  /** Spend reached 80% or 100% of the estimate's high end. */
  | 'COST_WARNING'
  /** Someone (or a limit) cancelled the job. */
  | 'JOB_CANCELLED'
  /** Training finished; the adapter is stored. */
  | 'JOB_COMPLETED'
  /** The job stopped with an error. */
  | 'JOB_FAILED'
  /** The spot pod was reclaimed; the job resumes by itself. */
  | 'JOB_INTERRUPTED'
  /** An interrupted job is getting a new pod. */
  | 'JOB_RESUMED'
  /** A queued job got its first pod. */
  | 'JOB_STARTED';

export type NotificationTarget =
  /** The workspace's Slack incoming webhook (settings.slackWebhookUrl). */
  | 'SLACK'
  /** The workspace's generic webhook (settings.webhookUrl), signed with its secret. */
  | 'WEBHOOK';

export type OrderDirection =
  | 'ASC'
  | 'DESC';

export type PodLogSource =
  /** The trainer's stdout and stderr. */
  | 'CONTAINER'
  /** The provider's own messages about the pod. */
  | 'SYSTEM';

export type PriceSource =
  /** The documented price table (RunPod did not answer, or no key). */
  | 'FALLBACK'
  /** The server's own machine: nothing is rented. */
  | 'LOCAL'
  /** RunPod's live price for the GPU and cloud type. */
  | 'RUNPOD_LIVE'
  /** A demo job, billed at the documented rate in simulated time. */
  | 'SIMULATED';

export type QualityBasis =
  /** The held-out (validation) loss. */
  | 'EVAL_LOSS'
  /** The final training loss: the job had no validation split. */
  | 'TRAIN_LOSS';

/** How the base model is loaded: the same values in inputs and outputs. */
export type Quantization =
  /** 16-bit weights, no quantization. */
  | 'BF16'
  /** 4-bit NormalFloat with double quantization (QLoRA); needs CUDA. */
  | 'NF4';

export type ReadinessCheckKey =
  /** Average quality score high enough. */
  | 'AVERAGE_QUALITY'
  /** The file is brightrun-lora-v4. */
  | 'FORMAT'
  /** Share of human-reviewed pairs (information only). */
  | 'HUMAN_REVIEWED'
  /** Enough trainable pairs. */
  | 'TRAINABLE_VOLUME';

export type RequestDatasetUploadInput = {
  /** At most 2,000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** The file name, e.g. "EQ-242.jsonl" (1–200 characters). */
  fileName: Scalars['String']['input'];
  /** 1–200 characters; default: the file name without its extension. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** If known, checked against the size limit before any byte is sent. */
  sizeBytes?: InputMaybe<Scalars['SafeInt']['input']>;
};

export type RevokeApiKeyInput = {
  id: Scalars['ID']['input'];
};

/** Whether this server can reach RunPod with the workspace's key. */
export type RunPodConnectionState =
  /** RunPod answered with this key. */
  | 'CONNECTED'
  /** No RunPod key (in Settings or RUNPOD_API_KEY), or this server offers no RunPod provider: `message` says which. */
  | 'NOT_CONFIGURED'
  /** RunPod answered and refused the key or the request: `message` has RunPod's words and the fix. */
  | 'REFUSED'
  /** RunPod did not answer (network, timeout, 5xx, rate limit): `message` has the reason; asked again within a minute. */
  | 'UNREACHABLE';

export type RunPodKeySource =
  /** The server's RUNPOD_API_KEY. */
  | 'SERVER'
  /** The workspace's own key (Settings → RunPod API key). */
  | 'WORKSPACE';

export type SaveTrainingConfigurationInput = {
  /** 1–100 characters; saving under an existing name replaces that configuration. */
  name: Scalars['String']['input'];
  overrides?: InputMaybe<TrainingOverridesInput>;
  preset?: InputMaybe<TrainingPreset>;
};

export type ScaffoldingDimension =
  | 'EMOTIONAL_ARC'
  | 'PERSONA'
  | 'TRAINING_TOPIC';

export type SendTestNotificationInput = {
  /** Which saved target to test. */
  target: NotificationTarget;
};

export type SetModelArtifactStatusInput = {
  id: Scalars['ID']['input'];
  status: ArtifactStatus;
};

export type StartTrainingJobInput = {
  /** Train even though the dataset failed a readiness check. */
  acknowledgeDatasetWarnings?: InputMaybe<Scalars['Boolean']['input']>;
  /** If spot capacity is refused, run on-demand (about 3× the price) instead of failing. */
  allowOnDemandFallback?: InputMaybe<Scalars['Boolean']['input']>;
  /** Default: the trainer keeps at most ~10 minutes of work at risk (≥ 1). */
  checkpointEverySteps?: InputMaybe<Scalars['Int']['input']>;
  /** Cancel the job automatically when its spend reaches this (> 0). */
  costCapUsd?: InputMaybe<Scalars['Float']['input']>;
  /** 8–200 characters (a UUID is ideal): retrying with the same key returns the same job instead of starting another. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** Smoke runs: stop after this many optimizer steps (≥ 1). */
  maxSteps?: InputMaybe<Scalars['Int']['input']>;
  /** What to train and how (as given to estimateTraining). */
  plan: TrainingPlanInput;
};

export type ThroughputSource =
  /** Blended with the measured throughput of past jobs. */
  | 'CALIBRATED'
  /** The documented throughput model. */
  | 'MODEL';

export type TrainingFieldGroup =
  | 'HYPERPARAMETERS'
  | 'MODEL'
  | 'RESOURCES';

export type TrainingFieldKind =
  /** One of `options` (numbers). */
  | 'CHOICE'
  /** One of `values` (names). */
  | 'ENUM'
  /** A whole number from min to max. */
  | 'INTEGER'
  /** A number from min to max in steps of `step`. */
  | 'NUMBER';

export type TrainingJobFilter = {
  /** Only jobs with a pod running or being provisioned. */
  active?: InputMaybe<Scalars['Boolean']['input']>;
  datasetId?: InputMaybe<Scalars['ID']['input']>;
  /** Any of these statuses. */
  status?: InputMaybe<Array<JobStatus>>;
};

/** Any field left out keeps the preset value. Ranges: see trainingCatalog.ranges. */
export type TrainingOverridesInput = {
  /** A trainingCatalog.baseModels id. */
  baseModel?: InputMaybe<Scalars['String']['input']>;
  batchSize?: InputMaybe<Scalars['Int']['input']>;
  cloudType?: InputMaybe<CloudType>;
  epochs?: InputMaybe<Scalars['Int']['input']>;
  /** A trainingCatalog.gpuTypes id. */
  gpuType?: InputMaybe<Scalars['String']['input']>;
  gradientAccumulationSteps?: InputMaybe<Scalars['Int']['input']>;
  learningRate?: InputMaybe<Scalars['Float']['input']>;
  /** Defaults to 2 × loraRank when only the rank is given. */
  loraAlpha?: InputMaybe<Scalars['Int']['input']>;
  loraDropout?: InputMaybe<Scalars['Float']['input']>;
  loraRank?: InputMaybe<Scalars['Int']['input']>;
  maxDurationHours?: InputMaybe<Scalars['Float']['input']>;
  maxSequenceLength?: InputMaybe<Scalars['Int']['input']>;
  quantization?: InputMaybe<Quantization>;
  seed?: InputMaybe<Scalars['Int']['input']>;
  validationShare?: InputMaybe<Scalars['Float']['input']>;
  warmupRatio?: InputMaybe<Scalars['Float']['input']>;
};

/** What to train and how: the part of a job that the estimate depends on. */
export type TrainingPlanInput = {
  /** Start from a saved configuration; overrides still apply on top. */
  configurationId?: InputMaybe<Scalars['ID']['input']>;
  datasetId: Scalars['ID']['input'];
  /** Estimate a run stopped after this many optimizer steps (≥ 1), as StartTrainingJobInput.maxSteps does; startTrainingJob takes the larger-scope input.maxSteps when both are set. */
  maxSteps?: InputMaybe<Scalars['Int']['input']>;
  overrides?: InputMaybe<TrainingOverridesInput>;
  /** Default BALANCED (or the saved configuration's). */
  preset?: InputMaybe<TrainingPreset>;
  /** One of trainingCatalog.providers; default: the server's default provider. */
  provider?: InputMaybe<TrainingProviderName>;
};

export type TrainingPreset =
  | 'AGGRESSIVE'
  | 'BALANCED'
  | 'CONSERVATIVE';

export type TrainingProviderName =
  /** A labelled simulation: synthetic metrics, no GPU. */
  | 'DEMO'
  /** The trainer as a process on the server's own machine. */
  | 'LOCAL'
  /** RunPod GPU pods (spot or on-demand), billed by RunPod. */
  | 'RUNPOD';

/** Leave a field out to keep it. */
export type UpdateDatasetInput = {
  /** At most 2,000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  /** 1–200 characters. */
  name?: InputMaybe<Scalars['String']['input']>;
};

/** Leave a field out to keep its value; null clears it where that makes sense. */
export type UpdateWorkspaceSettingsInput = {
  defaultCloudType?: InputMaybe<CloudType>;
  /** "NVIDIA H100 PCIe", "NVIDIA H100 80GB HBM3", "NVIDIA H100 NVL" or "NVIDIA H200". */
  defaultGpuType?: InputMaybe<Scalars['String']['input']>;
  defaultPreset?: InputMaybe<TrainingPreset>;
  /** A Hugging Face access token ("hf_…", huggingface.co → Settings → Access Tokens; "Read" is enough) for gated base models; accept the model's license on its Hugging Face page first. Null removes it. */
  huggingFaceToken?: InputMaybe<Scalars['String']['input']>;
  /** US dollars, ≥ 0; null removes the budget. */
  monthlyBudgetUsd?: InputMaybe<Scalars['Float']['input']>;
  /** Replace the signing secret with a new generated one (returned once). */
  rotateWebhookSecret?: InputMaybe<Scalars['Boolean']['input']>;
  /** Your RunPod API key (RunPod → Settings → API Keys); null removes it. */
  runpodApiKey?: InputMaybe<Scalars['String']['input']>;
  /** A Slack incoming-webhook URL (https://hooks.slack.com/…); null removes it. Servers started outside production also accept http://127.0.0.1 and http://localhost targets. */
  slackWebhookUrl?: InputMaybe<Scalars['String']['input']>;
  /** Your own signing secret (16–256 visible ASCII characters). Left out, one is generated when the webhook URL is first set. */
  webhookSecret?: InputMaybe<Scalars['String']['input']>;
  /** An https:// URL that receives signed JSON notifications; null removes it and its signing secret. */
  webhookUrl?: InputMaybe<Scalars['String']['input']>;
};

export type UploadDatasetInput = {
  /** At most 2,000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** The brightrun-lora-v4 file (full JSON or JSONL). */
  file: Scalars['Upload']['input'];
  /** 1–200 characters; default: the file name without its extension. */
  name?: InputMaybe<Scalars['String']['input']>;
};

export type ModelArtifactsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ModelArtifactFilter>;
}>;


export type ModelArtifactsQuery = { __typename?: 'Query', modelArtifacts: { __typename?: 'ModelArtifactConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'ModelArtifactEdge', node: { __typename?: 'ModelArtifact', id: string, name: string, version: number, status: ArtifactStatus, baseModel: string, qualityRating?: number | null, initialLoss?: number | null, finalLoss?: number | null, evalLoss?: number | null, perplexity?: number | null, createdAt: string, updatedAt: string, dataset: { __typename?: 'Dataset', id: string, name: string }, job: { __typename?: 'TrainingJob', id: string }, files: Array<{ __typename?: 'ArtifactFile', name: string, sizeBytes: number, sha256: string, downloadUrl: string }> } }> } };

export type ModelArtifactQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ModelArtifactQuery = { __typename?: 'Query', modelArtifact?: { __typename?: 'ModelArtifact', id: string, name: string, version: number, status: ArtifactStatus, baseModel: string, qualityRating?: number | null, initialLoss?: number | null, finalLoss?: number | null, evalLoss?: number | null, perplexity?: number | null, createdAt: string, updatedAt: string, dataset: { __typename?: 'Dataset', id: string, name: string }, job: { __typename?: 'TrainingJob', id: string }, files: Array<{ __typename?: 'ArtifactFile', name: string, sizeBytes: number, sha256: string, downloadUrl: string }> } | null };

export type DatasetsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<DatasetFilter>;
  orderBy?: InputMaybe<DatasetOrder>;
}>;


export type DatasetsQuery = { __typename?: 'Query', datasets: { __typename?: 'DatasetConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'DatasetEdge', node: { __typename?: 'Dataset', id: string, name: string, description?: string | null, fileName?: string | null, format: string, importStatus: DatasetImportStatus, encoding?: DatasetEncoding | null, sizeBytes: number, sha256?: string | null, conversationCount: number, trainingPairCount: number, trainablePairCount: number, averageQuality?: number | null, isGenerated: boolean, vertical?: string | null, createdAt: string, updatedAt: string, readiness?: { __typename?: 'DatasetReadiness', ready: boolean, checks: Array<{ __typename?: 'ReadinessCheck', key: ReadinessCheckKey, passed: boolean, blocking: boolean, value: string, threshold: string, message: string }> } | null } }> } };

export type DatasetQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DatasetQuery = { __typename?: 'Query', dataset?: { __typename?: 'Dataset', id: string, name: string, description?: string | null, fileName?: string | null, format: string, importStatus: DatasetImportStatus, encoding?: DatasetEncoding | null, sizeBytes: number, sha256?: string | null, conversationCount: number, trainingPairCount: number, trainablePairCount: number, averageQuality?: number | null, isGenerated: boolean, vertical?: string | null, createdAt: string, updatedAt: string, readiness?: { __typename?: 'DatasetReadiness', ready: boolean, checks: Array<{ __typename?: 'ReadinessCheck', key: ReadinessCheckKey, passed: boolean, blocking: boolean, value: string, threshold: string, message: string }> } | null } | null };

export type UploadDatasetMutationVariables = Exact<{
  input: UploadDatasetInput;
}>;


export type UploadDatasetMutation = { __typename?: 'Mutation', uploadDataset:
    | { __typename: 'DatasetInvalidError', code: ErrorCode, message: string, kind: DatasetProblemKind, problemCount: number, problems: Array<{ __typename?: 'DatasetProblem', line?: number | null, conversation?: string | null, field?: string | null, message: string }> }
    | { __typename: 'DuplicateDatasetError', code: ErrorCode, message: string, existingDataset: { __typename?: 'Dataset', id: string, name: string } }
    | { __typename: 'UploadDatasetSuccess', dataset: { __typename?: 'Dataset', id: string, name: string, description?: string | null, fileName?: string | null, format: string, importStatus: DatasetImportStatus, encoding?: DatasetEncoding | null, sizeBytes: number, sha256?: string | null, conversationCount: number, trainingPairCount: number, trainablePairCount: number, averageQuality?: number | null, isGenerated: boolean, vertical?: string | null, createdAt: string, updatedAt: string, readiness?: { __typename?: 'DatasetReadiness', ready: boolean, checks: Array<{ __typename?: 'ReadinessCheck', key: ReadinessCheckKey, passed: boolean, blocking: boolean, value: string, threshold: string, message: string }> } | null } }
    | { __typename: 'ValidationError', code: ErrorCode, message: string, fieldErrors: Array<{ __typename?: 'FieldError', field: string, message: string }> }
   };

export type RequestDatasetUploadMutationVariables = Exact<{
  input: RequestDatasetUploadInput;
}>;


export type RequestDatasetUploadMutation = { __typename?: 'Mutation', requestDatasetUpload:
    | { __typename: 'DatasetInvalidError', code: ErrorCode, message: string, kind: DatasetProblemKind, problemCount: number, problems: Array<{ __typename?: 'DatasetProblem', line?: number | null, conversation?: string | null, field?: string | null, message: string }> }
    | { __typename: 'RequestDatasetUploadSuccess', dataset: { __typename?: 'Dataset', id: string, name: string }, upload: { __typename?: 'SignedUpload', url: string, method: HttpMethod, expiresAt: string, headers: Array<{ __typename?: 'HttpHeader', name: string, value: string }> } }
    | { __typename: 'ValidationError', code: ErrorCode, message: string, fieldErrors: Array<{ __typename?: 'FieldError', field: string, message: string }> }
   };

export type FinalizeDatasetUploadMutationVariables = Exact<{
  input: FinalizeDatasetUploadInput;
}>;


export type FinalizeDatasetUploadMutation = { __typename?: 'Mutation', finalizeDatasetUpload:
    | { __typename: 'DatasetInvalidError', code: ErrorCode, message: string, kind: DatasetProblemKind, problemCount: number, problems: Array<{ __typename?: 'DatasetProblem', line?: number | null, conversation?: string | null, field?: string | null, message: string }> }
    | { __typename: 'DuplicateDatasetError', code: ErrorCode, message: string, existingDataset: { __typename?: 'Dataset', id: string, name: string } }
    | { __typename: 'FinalizeDatasetUploadSuccess', dataset: { __typename?: 'Dataset', id: string, name: string, description?: string | null, fileName?: string | null, format: string, importStatus: DatasetImportStatus, encoding?: DatasetEncoding | null, sizeBytes: number, sha256?: string | null, conversationCount: number, trainingPairCount: number, trainablePairCount: number, averageQuality?: number | null, isGenerated: boolean, vertical?: string | null, createdAt: string, updatedAt: string, readiness?: { __typename?: 'DatasetReadiness', ready: boolean, checks: Array<{ __typename?: 'ReadinessCheck', key: ReadinessCheckKey, passed: boolean, blocking: boolean, value: string, threshold: string, message: string }> } | null } }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string, id: string, resource: string }
    | { __typename: 'UploadStateError', code: ErrorCode, message: string }
    | { __typename: 'ValidationError', code: ErrorCode, message: string, fieldErrors: Array<{ __typename?: 'FieldError', field: string, message: string }> }
   };

export type DeleteDatasetMutationVariables = Exact<{
  input: DeleteDatasetInput;
}>;


export type DeleteDatasetMutation = { __typename?: 'Mutation', deleteDataset:
    | { __typename: 'ConfirmationMismatchError', code: ErrorCode, message: string, expectedName: string }
    | { __typename: 'DeleteDatasetSuccess', dataset: { __typename?: 'Dataset', id: string, name: string } }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string, id: string, resource: string }
    | { __typename: 'ResourceInUseError', code: ErrorCode, message: string, blockingIds: Array<string> }
    | { __typename: 'ValidationError', code: ErrorCode, message: string }
   };

export type ReadinessCheckFieldsFragment = { __typename?: 'ReadinessCheck', key: ReadinessCheckKey, passed: boolean, blocking: boolean, value: string, threshold: string, message: string };

export type DatasetFieldsFragment = { __typename?: 'Dataset', id: string, name: string, description?: string | null, fileName?: string | null, format: string, importStatus: DatasetImportStatus, encoding?: DatasetEncoding | null, sizeBytes: number, sha256?: string | null, conversationCount: number, trainingPairCount: number, trainablePairCount: number, averageQuality?: number | null, isGenerated: boolean, vertical?: string | null, createdAt: string, updatedAt: string, readiness?: { __typename?: 'DatasetReadiness', ready: boolean, checks: Array<{ __typename?: 'ReadinessCheck', key: ReadinessCheckKey, passed: boolean, blocking: boolean, value: string, threshold: string, message: string }> } | null };

export type MetricPointFieldsFragment = { __typename?: 'MetricPoint', split: MetricSplit, step: number, loss?: number | null, learningRate?: number | null, gradNorm?: number | null, epoch?: number | null, tokensPerSecond?: number | null, gpuUtilization?: number | null, gpuMemoryGb?: number | null, perplexity?: number | null, recordedAt: string };

export type EstimateFieldsFragment = { __typename?: 'TrainingEstimate', totalSteps: number, totalTokens: number, trainingPairs: number, validationPairs: number, tokensPerPair: number, tokensPerSecond: number, peakMemoryGb: number, throughputSource: ThroughputSource, pastJobs: number, hours: { __typename?: 'HoursRange', low: number, high: number }, cost: { __typename?: 'CostEstimate', lowUsd: number, highUsd: number, pricePerHourUsd: number, priceSource: PriceSource, priceNote: string, storageUsd: number }, stages: Array<{ __typename?: 'EstimateStageHours', stage: EstimateStage, hours: { __typename?: 'HoursRange', low: number, high: number } }>, warnings: Array<{ __typename?: 'EstimateWarning', code: EstimateWarningCode, message: string }> };

export type ArtifactFileFieldsFragment = { __typename?: 'ArtifactFile', name: string, sizeBytes: number, sha256: string, downloadUrl: string };

export type ArtifactFieldsFragment = { __typename?: 'ModelArtifact', id: string, name: string, version: number, status: ArtifactStatus, baseModel: string, qualityRating?: number | null, initialLoss?: number | null, finalLoss?: number | null, evalLoss?: number | null, perplexity?: number | null, createdAt: string, updatedAt: string, dataset: { __typename?: 'Dataset', id: string, name: string }, job: { __typename?: 'TrainingJob', id: string }, files: Array<{ __typename?: 'ArtifactFile', name: string, sizeBytes: number, sha256: string, downloadUrl: string }> };

export type JobFieldsFragment = { __typename?: 'TrainingJob', id: string, status: JobStatus, substatus?: string | null, provider: TrainingProviderName, isSimulated: boolean, isActive: boolean, preset: TrainingPreset, baseModel: string, gpuType: string, cloudType: CloudType, currentStep: number, totalSteps?: number | null, currentEpoch: number, totalEpochs: number, progress: number, spendUsd: number, costCapUsd?: number | null, etaSeconds?: number | null, interruptionCount: number, errorCode?: string | null, errorMessage?: string | null, cancelReason?: string | null, createdAt: string, startedAt?: string | null, finishedAt?: string | null, lastHeartbeatAt?: string | null, dataset: { __typename?: 'Dataset', id: string, name: string }, latestMetrics: { __typename?: 'LatestMetrics', train?: { __typename?: 'MetricPoint', split: MetricSplit, step: number, loss?: number | null, learningRate?: number | null, gradNorm?: number | null, epoch?: number | null, tokensPerSecond?: number | null, gpuUtilization?: number | null, gpuMemoryGb?: number | null, perplexity?: number | null, recordedAt: string } | null, eval?: { __typename?: 'MetricPoint', split: MetricSplit, step: number, loss?: number | null, learningRate?: number | null, gradNorm?: number | null, epoch?: number | null, tokensPerSecond?: number | null, gpuUtilization?: number | null, gpuMemoryGb?: number | null, perplexity?: number | null, recordedAt: string } | null }, estimate: { __typename?: 'TrainingEstimate', totalSteps: number, totalTokens: number, trainingPairs: number, validationPairs: number, tokensPerPair: number, tokensPerSecond: number, peakMemoryGb: number, throughputSource: ThroughputSource, pastJobs: number, hours: { __typename?: 'HoursRange', low: number, high: number }, cost: { __typename?: 'CostEstimate', lowUsd: number, highUsd: number, pricePerHourUsd: number, priceSource: PriceSource, priceNote: string, storageUsd: number }, stages: Array<{ __typename?: 'EstimateStageHours', stage: EstimateStage, hours: { __typename?: 'HoursRange', low: number, high: number } }>, warnings: Array<{ __typename?: 'EstimateWarning', code: EstimateWarningCode, message: string }> }, artifact?: { __typename?: 'ModelArtifact', id: string, name: string } | null };

export type NotificationFieldsFragment = { __typename?: 'Notification', id: string, kind: NotificationKind, title: string, body: string, jobId?: string | null, link?: string | null, readAt?: string | null, createdAt: string };

export type PageInfoFieldsFragment = { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null };

export type TrainingCatalogQueryVariables = Exact<{ [key: string]: never; }>;


export type TrainingCatalogQuery = { __typename?: 'Query', trainingCatalog: { __typename?: 'TrainingCatalog', defaultPreset: TrainingPreset, defaultBaseModel: string, defaultGpuType: string, defaultMaxDurationHours: number, presets: Array<{ __typename?: 'TrainingPresetDefinition', key: TrainingPreset, label: string, description: string, bestFor: string, hyperparameters: { __typename?: 'Hyperparameters', epochs: number, learningRate: number, batchSize: number, gradientAccumulationSteps: number, loraRank: number, loraAlpha: number, loraDropout: number, maxSequenceLength: number, warmupRatio: number, quantization?: Quantization | null, seed: number, validationShare: number } }>, baseModels: Array<{ __typename?: 'BaseModel', id: string, label: string, parameterCount: number, defaultQuantization: Quantization }>, gpuTypes: Array<{ __typename?: 'GpuType', id: string, label: string, memoryGb: number, recommended: boolean }>, providers: Array<{ __typename?: 'TrainingProvider', name: TrainingProviderName, isDefault: boolean, simulated: boolean, ready: boolean, setupHint?: string | null }> } };

export type EstimateTrainingQueryVariables = Exact<{
  input: TrainingPlanInput;
}>;


export type EstimateTrainingQuery = { __typename?: 'Query', estimateTraining:
    | { __typename: 'EstimateTrainingSuccess', estimate: { __typename?: 'TrainingEstimate', totalSteps: number, totalTokens: number, trainingPairs: number, validationPairs: number, tokensPerPair: number, tokensPerSecond: number, peakMemoryGb: number, throughputSource: ThroughputSource, pastJobs: number, hours: { __typename?: 'HoursRange', low: number, high: number }, cost: { __typename?: 'CostEstimate', lowUsd: number, highUsd: number, pricePerHourUsd: number, priceSource: PriceSource, priceNote: string, storageUsd: number }, stages: Array<{ __typename?: 'EstimateStageHours', stage: EstimateStage, hours: { __typename?: 'HoursRange', low: number, high: number } }>, warnings: Array<{ __typename?: 'EstimateWarning', code: EstimateWarningCode, message: string }> } }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string, id: string, resource: string }
    | { __typename: 'ValidationError', code: ErrorCode, message: string, fieldErrors: Array<{ __typename?: 'FieldError', field: string, message: string }> }
   };

export type StartTrainingJobMutationVariables = Exact<{
  input: StartTrainingJobInput;
}>;


export type StartTrainingJobMutation = { __typename?: 'Mutation', startTrainingJob:
    | { __typename: 'BudgetExceededError', code: ErrorCode, message: string, budgetUsd: number, spentUsd: number, estimateHighUsd: number }
    | { __typename: 'DatasetNotReadyError', code: ErrorCode, message: string, datasetId: string, failedChecks: Array<{ __typename?: 'ReadinessCheck', key: ReadinessCheckKey, passed: boolean, blocking: boolean, value: string, threshold: string, message: string }> }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string, id: string, resource: string }
    | { __typename: 'StartTrainingJobSuccess', job: { __typename?: 'TrainingJob', id: string, status: JobStatus, substatus?: string | null, provider: TrainingProviderName, isSimulated: boolean, isActive: boolean, preset: TrainingPreset, baseModel: string, gpuType: string, cloudType: CloudType, currentStep: number, totalSteps?: number | null, currentEpoch: number, totalEpochs: number, progress: number, spendUsd: number, costCapUsd?: number | null, etaSeconds?: number | null, interruptionCount: number, errorCode?: string | null, errorMessage?: string | null, cancelReason?: string | null, createdAt: string, startedAt?: string | null, finishedAt?: string | null, lastHeartbeatAt?: string | null, dataset: { __typename?: 'Dataset', id: string, name: string }, latestMetrics: { __typename?: 'LatestMetrics', train?: { __typename?: 'MetricPoint', split: MetricSplit, step: number, loss?: number | null, learningRate?: number | null, gradNorm?: number | null, epoch?: number | null, tokensPerSecond?: number | null, gpuUtilization?: number | null, gpuMemoryGb?: number | null, perplexity?: number | null, recordedAt: string } | null, eval?: { __typename?: 'MetricPoint', split: MetricSplit, step: number, loss?: number | null, learningRate?: number | null, gradNorm?: number | null, epoch?: number | null, tokensPerSecond?: number | null, gpuUtilization?: number | null, gpuMemoryGb?: number | null, perplexity?: number | null, recordedAt: string } | null }, estimate: { __typename?: 'TrainingEstimate', totalSteps: number, totalTokens: number, trainingPairs: number, validationPairs: number, tokensPerPair: number, tokensPerSecond: number, peakMemoryGb: number, throughputSource: ThroughputSource, pastJobs: number, hours: { __typename?: 'HoursRange', low: number, high: number }, cost: { __typename?: 'CostEstimate', lowUsd: number, highUsd: number, pricePerHourUsd: number, priceSource: PriceSource, priceNote: string, storageUsd: number }, stages: Array<{ __typename?: 'EstimateStageHours', stage: EstimateStage, hours: { __typename?: 'HoursRange', low: number, high: number } }>, warnings: Array<{ __typename?: 'EstimateWarning', code: EstimateWarningCode, message: string }> }, artifact?: { __typename?: 'ModelArtifact', id: string, name: string } | null } }
    | { __typename: 'ValidationError', code: ErrorCode, message: string, fieldErrors: Array<{ __typename?: 'FieldError', field: string, message: string }> }
   };

export type TrainingJobQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type TrainingJobQuery = { __typename?: 'Query', trainingJob?: { __typename?: 'TrainingJob', id: string, status: JobStatus, substatus?: string | null, provider: TrainingProviderName, isSimulated: boolean, isActive: boolean, preset: TrainingPreset, baseModel: string, gpuType: string, cloudType: CloudType, currentStep: number, totalSteps?: number | null, currentEpoch: number, totalEpochs: number, progress: number, spendUsd: number, costCapUsd?: number | null, etaSeconds?: number | null, interruptionCount: number, errorCode?: string | null, errorMessage?: string | null, cancelReason?: string | null, createdAt: string, startedAt?: string | null, finishedAt?: string | null, lastHeartbeatAt?: string | null, dataset: { __typename?: 'Dataset', id: string, name: string }, latestMetrics: { __typename?: 'LatestMetrics', train?: { __typename?: 'MetricPoint', split: MetricSplit, step: number, loss?: number | null, learningRate?: number | null, gradNorm?: number | null, epoch?: number | null, tokensPerSecond?: number | null, gpuUtilization?: number | null, gpuMemoryGb?: number | null, perplexity?: number | null, recordedAt: string } | null, eval?: { __typename?: 'MetricPoint', split: MetricSplit, step: number, loss?: number | null, learningRate?: number | null, gradNorm?: number | null, epoch?: number | null, tokensPerSecond?: number | null, gpuUtilization?: number | null, gpuMemoryGb?: number | null, perplexity?: number | null, recordedAt: string } | null }, estimate: { __typename?: 'TrainingEstimate', totalSteps: number, totalTokens: number, trainingPairs: number, validationPairs: number, tokensPerPair: number, tokensPerSecond: number, peakMemoryGb: number, throughputSource: ThroughputSource, pastJobs: number, hours: { __typename?: 'HoursRange', low: number, high: number }, cost: { __typename?: 'CostEstimate', lowUsd: number, highUsd: number, pricePerHourUsd: number, priceSource: PriceSource, priceNote: string, storageUsd: number }, stages: Array<{ __typename?: 'EstimateStageHours', stage: EstimateStage, hours: { __typename?: 'HoursRange', low: number, high: number } }>, warnings: Array<{ __typename?: 'EstimateWarning', code: EstimateWarningCode, message: string }> }, artifact?: { __typename?: 'ModelArtifact', id: string, name: string } | null } | null };

export type TrainingJobsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<TrainingJobFilter>;
}>;


export type TrainingJobsQuery = { __typename?: 'Query', trainingJobs: { __typename?: 'TrainingJobConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'TrainingJobEdge', node: { __typename?: 'TrainingJob', id: string, status: JobStatus, substatus?: string | null, provider: TrainingProviderName, isSimulated: boolean, isActive: boolean, preset: TrainingPreset, baseModel: string, gpuType: string, cloudType: CloudType, currentStep: number, totalSteps?: number | null, currentEpoch: number, totalEpochs: number, progress: number, spendUsd: number, costCapUsd?: number | null, etaSeconds?: number | null, interruptionCount: number, errorCode?: string | null, errorMessage?: string | null, cancelReason?: string | null, createdAt: string, startedAt?: string | null, finishedAt?: string | null, lastHeartbeatAt?: string | null, dataset: { __typename?: 'Dataset', id: string, name: string }, latestMetrics: { __typename?: 'LatestMetrics', train?: { __typename?: 'MetricPoint', split: MetricSplit, step: number, loss?: number | null, learningRate?: number | null, gradNorm?: number | null, epoch?: number | null, tokensPerSecond?: number | null, gpuUtilization?: number | null, gpuMemoryGb?: number | null, perplexity?: number | null, recordedAt: string } | null, eval?: { __typename?: 'MetricPoint', split: MetricSplit, step: number, loss?: number | null, learningRate?: number | null, gradNorm?: number | null, epoch?: number | null, tokensPerSecond?: number | null, gpuUtilization?: number | null, gpuMemoryGb?: number | null, perplexity?: number | null, recordedAt: string } | null }, estimate: { __typename?: 'TrainingEstimate', totalSteps: number, totalTokens: number, trainingPairs: number, validationPairs: number, tokensPerPair: number, tokensPerSecond: number, peakMemoryGb: number, throughputSource: ThroughputSource, pastJobs: number, hours: { __typename?: 'HoursRange', low: number, high: number }, cost: { __typename?: 'CostEstimate', lowUsd: number, highUsd: number, pricePerHourUsd: number, priceSource: PriceSource, priceNote: string, storageUsd: number }, stages: Array<{ __typename?: 'EstimateStageHours', stage: EstimateStage, hours: { __typename?: 'HoursRange', low: number, high: number } }>, warnings: Array<{ __typename?: 'EstimateWarning', code: EstimateWarningCode, message: string }> }, artifact?: { __typename?: 'ModelArtifact', id: string, name: string } | null } }> } };

export type CancelTrainingJobMutationVariables = Exact<{
  input: CancelTrainingJobInput;
}>;


export type CancelTrainingJobMutation = { __typename?: 'Mutation', cancelTrainingJob:
    | { __typename: 'CancelTrainingJobSuccess', job: { __typename?: 'TrainingJob', id: string, status: JobStatus, substatus?: string | null, provider: TrainingProviderName, isSimulated: boolean, isActive: boolean, preset: TrainingPreset, baseModel: string, gpuType: string, cloudType: CloudType, currentStep: number, totalSteps?: number | null, currentEpoch: number, totalEpochs: number, progress: number, spendUsd: number, costCapUsd?: number | null, etaSeconds?: number | null, interruptionCount: number, errorCode?: string | null, errorMessage?: string | null, cancelReason?: string | null, createdAt: string, startedAt?: string | null, finishedAt?: string | null, lastHeartbeatAt?: string | null, dataset: { __typename?: 'Dataset', id: string, name: string }, latestMetrics: { __typename?: 'LatestMetrics', train?: { __typename?: 'MetricPoint', split: MetricSplit, step: number, loss?: number | null, learningRate?: number | null, gradNorm?: number | null, epoch?: number | null, tokensPerSecond?: number | null, gpuUtilization?: number | null, gpuMemoryGb?: number | null, perplexity?: number | null, recordedAt: string } | null, eval?: { __typename?: 'MetricPoint', split: MetricSplit, step: number, loss?: number | null, learningRate?: number | null, gradNorm?: number | null, epoch?: number | null, tokensPerSecond?: number | null, gpuUtilization?: number | null, gpuMemoryGb?: number | null, perplexity?: number | null, recordedAt: string } | null }, estimate: { __typename?: 'TrainingEstimate', totalSteps: number, totalTokens: number, trainingPairs: number, validationPairs: number, tokensPerPair: number, tokensPerSecond: number, peakMemoryGb: number, throughputSource: ThroughputSource, pastJobs: number, hours: { __typename?: 'HoursRange', low: number, high: number }, cost: { __typename?: 'CostEstimate', lowUsd: number, highUsd: number, pricePerHourUsd: number, priceSource: PriceSource, priceNote: string, storageUsd: number }, stages: Array<{ __typename?: 'EstimateStageHours', stage: EstimateStage, hours: { __typename?: 'HoursRange', low: number, high: number } }>, warnings: Array<{ __typename?: 'EstimateWarning', code: EstimateWarningCode, message: string }> }, artifact?: { __typename?: 'ModelArtifact', id: string, name: string } | null } }
    | { __typename: 'JobFinishedError', code: ErrorCode, message: string, jobId: string, status: JobStatus }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string, id: string, resource: string }
    | { __typename: 'ValidationError', code: ErrorCode, message: string, fieldErrors: Array<{ __typename?: 'FieldError', field: string, message: string }> }
   };

export type TrainingJobUpdatedSubscriptionVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type TrainingJobUpdatedSubscription = { __typename?: 'Subscription', trainingJobUpdated: { __typename?: 'TrainingJob', id: string, status: JobStatus, substatus?: string | null, provider: TrainingProviderName, isSimulated: boolean, isActive: boolean, preset: TrainingPreset, baseModel: string, gpuType: string, cloudType: CloudType, currentStep: number, totalSteps?: number | null, currentEpoch: number, totalEpochs: number, progress: number, spendUsd: number, costCapUsd?: number | null, etaSeconds?: number | null, interruptionCount: number, errorCode?: string | null, errorMessage?: string | null, cancelReason?: string | null, createdAt: string, startedAt?: string | null, finishedAt?: string | null, lastHeartbeatAt?: string | null, dataset: { __typename?: 'Dataset', id: string, name: string }, latestMetrics: { __typename?: 'LatestMetrics', train?: { __typename?: 'MetricPoint', split: MetricSplit, step: number, loss?: number | null, learningRate?: number | null, gradNorm?: number | null, epoch?: number | null, tokensPerSecond?: number | null, gpuUtilization?: number | null, gpuMemoryGb?: number | null, perplexity?: number | null, recordedAt: string } | null, eval?: { __typename?: 'MetricPoint', split: MetricSplit, step: number, loss?: number | null, learningRate?: number | null, gradNorm?: number | null, epoch?: number | null, tokensPerSecond?: number | null, gpuUtilization?: number | null, gpuMemoryGb?: number | null, perplexity?: number | null, recordedAt: string } | null }, estimate: { __typename?: 'TrainingEstimate', totalSteps: number, totalTokens: number, trainingPairs: number, validationPairs: number, tokensPerPair: number, tokensPerSecond: number, peakMemoryGb: number, throughputSource: ThroughputSource, pastJobs: number, hours: { __typename?: 'HoursRange', low: number, high: number }, cost: { __typename?: 'CostEstimate', lowUsd: number, highUsd: number, pricePerHourUsd: number, priceSource: PriceSource, priceNote: string, storageUsd: number }, stages: Array<{ __typename?: 'EstimateStageHours', stage: EstimateStage, hours: { __typename?: 'HoursRange', low: number, high: number } }>, warnings: Array<{ __typename?: 'EstimateWarning', code: EstimateWarningCode, message: string }> }, artifact?: { __typename?: 'ModelArtifact', id: string, name: string } | null } };

export type TrainingMetricsSubscriptionVariables = Exact<{
  jobId: Scalars['ID']['input'];
  afterStep?: InputMaybe<Scalars['Int']['input']>;
}>;


export type TrainingMetricsSubscription = { __typename?: 'Subscription', trainingMetrics: Array<{ __typename?: 'MetricPoint', split: MetricSplit, step: number, loss?: number | null, learningRate?: number | null, gradNorm?: number | null, epoch?: number | null, tokensPerSecond?: number | null, gpuUtilization?: number | null, gpuMemoryGb?: number | null, perplexity?: number | null, recordedAt: string }> };

export type JobMetricsQueryVariables = Exact<{
  jobId: Scalars['ID']['input'];
  split?: InputMaybe<MetricSplit>;
  fromStep?: InputMaybe<Scalars['Int']['input']>;
  toStep?: InputMaybe<Scalars['Int']['input']>;
  maxPoints?: InputMaybe<Scalars['Int']['input']>;
}>;


export type JobMetricsQuery = { __typename?: 'Query', jobMetrics:
    | { __typename: 'JobMetricsSuccess', series: { __typename?: 'MetricSeries', jobId: string, split: MetricSplit, downsampled: boolean, method: DownsamplingMethod, bucketSteps?: number | null, totalPoints: number, points: Array<{ __typename?: 'MetricPoint', split: MetricSplit, step: number, loss?: number | null, learningRate?: number | null, gradNorm?: number | null, epoch?: number | null, tokensPerSecond?: number | null, gpuUtilization?: number | null, gpuMemoryGb?: number | null, perplexity?: number | null, recordedAt: string }> } }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string, id: string, resource: string }
    | { __typename: 'ValidationError', code: ErrorCode, message: string, fieldErrors: Array<{ __typename?: 'FieldError', field: string, message: string }> }
   };

export type NotificationsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  unreadOnly?: InputMaybe<Scalars['Boolean']['input']>;
}>;


export type NotificationsQuery = { __typename?: 'Query', notifications: { __typename?: 'NotificationConnection', totalCount: number, unreadCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'NotificationEdge', node: { __typename?: 'Notification', id: string, kind: NotificationKind, title: string, body: string, jobId?: string | null, link?: string | null, readAt?: string | null, createdAt: string } }> } };

export type MarkNotificationsReadMutationVariables = Exact<{
  input: MarkNotificationsReadInput;
}>;


export type MarkNotificationsReadMutation = { __typename?: 'Mutation', markNotificationsRead:
    | { __typename: 'MarkNotificationsReadSuccess', markedCount: number, unreadCount: number }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string, id: string, resource: string }
    | { __typename: 'ValidationError', code: ErrorCode, message: string, fieldErrors: Array<{ __typename?: 'FieldError', field: string, message: string }> }
   };

export type NotificationAddedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type NotificationAddedSubscription = { __typename?: 'Subscription', notificationAdded: { __typename?: 'Notification', id: string, kind: NotificationKind, title: string, body: string, jobId?: string | null, link?: string | null, readAt?: string | null, createdAt: string } };

export type SpendQueryVariables = Exact<{
  month?: InputMaybe<Scalars['String']['input']>;
}>;


export type SpendQuery = { __typename?: 'Query', spend:
    | { __typename: 'SpendSuccess', spend: { __typename?: 'MonthlySpend', month: string, totalUsd: number, previousMonthUsd: number, changeUsd: number, changePercent?: number | null, budgetUsd?: number | null, budgetUsedShare?: number | null, jobs: Array<{ __typename?: 'JobSpend', jobId: string, spendUsd: number, attempts: number }> } }
    | { __typename: 'ValidationError', code: ErrorCode, message: string, fieldErrors: Array<{ __typename?: 'FieldError', field: string, message: string }> }
   };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { __typename?: 'Query', viewer: { __typename?: 'Viewer', scopes: Array<ApiKeyScope>, workspace: { __typename?: 'Workspace', id: string, name: string } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ReadinessCheckFieldsFragmentDoc = new TypedDocumentString(`
    fragment ReadinessCheckFields on ReadinessCheck {
  key
  passed
  blocking
  value
  threshold
  message
}
    `, {"fragmentName":"ReadinessCheckFields"}) as unknown as TypedDocumentString<ReadinessCheckFieldsFragment, unknown>;
export const DatasetFieldsFragmentDoc = new TypedDocumentString(`
    fragment DatasetFields on Dataset {
  id
  name
  description
  fileName
  format
  importStatus
  encoding
  sizeBytes
  sha256
  conversationCount
  trainingPairCount
  trainablePairCount
  averageQuality
  isGenerated
  vertical
  createdAt
  updatedAt
  readiness {
    ready
    checks {
      ...ReadinessCheckFields
    }
  }
}
    fragment ReadinessCheckFields on ReadinessCheck {
  key
  passed
  blocking
  value
  threshold
  message
}`, {"fragmentName":"DatasetFields"}) as unknown as TypedDocumentString<DatasetFieldsFragment, unknown>;
export const ArtifactFileFieldsFragmentDoc = new TypedDocumentString(`
    fragment ArtifactFileFields on ArtifactFile {
  name
  sizeBytes
  sha256
  downloadUrl
}
    `, {"fragmentName":"ArtifactFileFields"}) as unknown as TypedDocumentString<ArtifactFileFieldsFragment, unknown>;
export const ArtifactFieldsFragmentDoc = new TypedDocumentString(`
    fragment ArtifactFields on ModelArtifact {
  id
  name
  version
  status
  baseModel
  qualityRating
  initialLoss
  finalLoss
  evalLoss
  perplexity
  createdAt
  updatedAt
  dataset {
    id
    name
  }
  job {
    id
  }
  files {
    ...ArtifactFileFields
  }
}
    fragment ArtifactFileFields on ArtifactFile {
  name
  sizeBytes
  sha256
  downloadUrl
}`, {"fragmentName":"ArtifactFields"}) as unknown as TypedDocumentString<ArtifactFieldsFragment, unknown>;
export const MetricPointFieldsFragmentDoc = new TypedDocumentString(`
    fragment MetricPointFields on MetricPoint {
  split
  step
  loss
  learningRate
  gradNorm
  epoch
  tokensPerSecond
  gpuUtilization
  gpuMemoryGb
  perplexity
  recordedAt
}
    `, {"fragmentName":"MetricPointFields"}) as unknown as TypedDocumentString<MetricPointFieldsFragment, unknown>;
export const EstimateFieldsFragmentDoc = new TypedDocumentString(`
    fragment EstimateFields on TrainingEstimate {
  hours {
    low
    high
  }
  cost {
    lowUsd
    highUsd
    pricePerHourUsd
    priceSource
    priceNote
    storageUsd
  }
  stages {
    stage
    hours {
      low
      high
    }
  }
  totalSteps
  totalTokens
  trainingPairs
  validationPairs
  tokensPerPair
  tokensPerSecond
  peakMemoryGb
  throughputSource
  pastJobs
  warnings {
    code
    message
  }
}
    `, {"fragmentName":"EstimateFields"}) as unknown as TypedDocumentString<EstimateFieldsFragment, unknown>;
export const JobFieldsFragmentDoc = new TypedDocumentString(`
    fragment JobFields on TrainingJob {
  id
  status
  substatus
  provider
  isSimulated
  isActive
  preset
  baseModel
  gpuType
  cloudType
  currentStep
  totalSteps
  currentEpoch
  totalEpochs
  progress
  spendUsd
  costCapUsd
  etaSeconds
  interruptionCount
  errorCode
  errorMessage
  cancelReason
  createdAt
  startedAt
  finishedAt
  lastHeartbeatAt
  dataset {
    id
    name
  }
  latestMetrics {
    train {
      ...MetricPointFields
    }
    eval {
      ...MetricPointFields
    }
  }
  estimate {
    ...EstimateFields
  }
  artifact {
    id
    name
  }
}
    fragment MetricPointFields on MetricPoint {
  split
  step
  loss
  learningRate
  gradNorm
  epoch
  tokensPerSecond
  gpuUtilization
  gpuMemoryGb
  perplexity
  recordedAt
}
fragment EstimateFields on TrainingEstimate {
  hours {
    low
    high
  }
  cost {
    lowUsd
    highUsd
    pricePerHourUsd
    priceSource
    priceNote
    storageUsd
  }
  stages {
    stage
    hours {
      low
      high
    }
  }
  totalSteps
  totalTokens
  trainingPairs
  validationPairs
  tokensPerPair
  tokensPerSecond
  peakMemoryGb
  throughputSource
  pastJobs
  warnings {
    code
    message
  }
}`, {"fragmentName":"JobFields"}) as unknown as TypedDocumentString<JobFieldsFragment, unknown>;
export const NotificationFieldsFragmentDoc = new TypedDocumentString(`
    fragment NotificationFields on Notification {
  id
  kind
  title
  body
  jobId
  link
  readAt
  createdAt
}
    `, {"fragmentName":"NotificationFields"}) as unknown as TypedDocumentString<NotificationFieldsFragment, unknown>;
export const PageInfoFieldsFragmentDoc = new TypedDocumentString(`
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}
    `, {"fragmentName":"PageInfoFields"}) as unknown as TypedDocumentString<PageInfoFieldsFragment, unknown>;
export const ModelArtifactsDocument = new TypedDocumentString(`
    query ModelArtifacts($first: Int, $after: String, $filter: ModelArtifactFilter) {
  modelArtifacts(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo {
      ...PageInfoFields
    }
    edges {
      node {
        ...ArtifactFields
      }
    }
  }
}
    fragment ArtifactFileFields on ArtifactFile {
  name
  sizeBytes
  sha256
  downloadUrl
}
fragment ArtifactFields on ModelArtifact {
  id
  name
  version
  status
  baseModel
  qualityRating
  initialLoss
  finalLoss
  evalLoss
  perplexity
  createdAt
  updatedAt
  dataset {
    id
    name
  }
  job {
    id
  }
  files {
    ...ArtifactFileFields
  }
}
fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}`) as unknown as TypedDocumentString<ModelArtifactsQuery, ModelArtifactsQueryVariables>;
export const ModelArtifactDocument = new TypedDocumentString(`
    query ModelArtifact($id: ID!) {
  modelArtifact(id: $id) {
    ...ArtifactFields
  }
}
    fragment ArtifactFileFields on ArtifactFile {
  name
  sizeBytes
  sha256
  downloadUrl
}
fragment ArtifactFields on ModelArtifact {
  id
  name
  version
  status
  baseModel
  qualityRating
  initialLoss
  finalLoss
  evalLoss
  perplexity
  createdAt
  updatedAt
  dataset {
    id
    name
  }
  job {
    id
  }
  files {
    ...ArtifactFileFields
  }
}`) as unknown as TypedDocumentString<ModelArtifactQuery, ModelArtifactQueryVariables>;
export const DatasetsDocument = new TypedDocumentString(`
    query Datasets($first: Int, $after: String, $filter: DatasetFilter, $orderBy: DatasetOrder) {
  datasets(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo {
      ...PageInfoFields
    }
    edges {
      node {
        ...DatasetFields
      }
    }
  }
}
    fragment ReadinessCheckFields on ReadinessCheck {
  key
  passed
  blocking
  value
  threshold
  message
}
fragment DatasetFields on Dataset {
  id
  name
  description
  fileName
  format
  importStatus
  encoding
  sizeBytes
  sha256
  conversationCount
  trainingPairCount
  trainablePairCount
  averageQuality
  isGenerated
  vertical
  createdAt
  updatedAt
  readiness {
    ready
    checks {
      ...ReadinessCheckFields
    }
  }
}
fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}`) as unknown as TypedDocumentString<DatasetsQuery, DatasetsQueryVariables>;
export const DatasetDocument = new TypedDocumentString(`
    query Dataset($id: ID!) {
  dataset(id: $id) {
    ...DatasetFields
  }
}
    fragment ReadinessCheckFields on ReadinessCheck {
  key
  passed
  blocking
  value
  threshold
  message
}
fragment DatasetFields on Dataset {
  id
  name
  description
  fileName
  format
  importStatus
  encoding
  sizeBytes
  sha256
  conversationCount
  trainingPairCount
  trainablePairCount
  averageQuality
  isGenerated
  vertical
  createdAt
  updatedAt
  readiness {
    ready
    checks {
      ...ReadinessCheckFields
    }
  }
}`) as unknown as TypedDocumentString<DatasetQuery, DatasetQueryVariables>;
export const UploadDatasetDocument = new TypedDocumentString(`
    mutation UploadDataset($input: UploadDatasetInput!) {
  uploadDataset(input: $input) {
    __typename
    ... on UploadDatasetSuccess {
      dataset {
        ...DatasetFields
      }
    }
    ... on Error {
      code
      message
    }
    ... on ValidationError {
      fieldErrors {
        field
        message
      }
    }
    ... on DatasetInvalidError {
      kind
      problemCount
      problems {
        line
        conversation
        field
        message
      }
    }
    ... on DuplicateDatasetError {
      existingDataset {
        id
        name
      }
    }
  }
}
    fragment ReadinessCheckFields on ReadinessCheck {
  key
  passed
  blocking
  value
  threshold
  message
}
fragment DatasetFields on Dataset {
  id
  name
  description
  fileName
  format
  importStatus
  encoding
  sizeBytes
  sha256
  conversationCount
  trainingPairCount
  trainablePairCount
  averageQuality
  isGenerated
  vertical
  createdAt
  updatedAt
  readiness {
    ready
    checks {
      ...ReadinessCheckFields
    }
  }
}`) as unknown as TypedDocumentString<UploadDatasetMutation, UploadDatasetMutationVariables>;
export const RequestDatasetUploadDocument = new TypedDocumentString(`
    mutation RequestDatasetUpload($input: RequestDatasetUploadInput!) {
  requestDatasetUpload(input: $input) {
    __typename
    ... on RequestDatasetUploadSuccess {
      dataset {
        id
        name
      }
      upload {
        url
        method
        expiresAt
        headers {
          name
          value
        }
      }
    }
    ... on Error {
      code
      message
    }
    ... on ValidationError {
      fieldErrors {
        field
        message
      }
    }
    ... on DatasetInvalidError {
      kind
      problemCount
      problems {
        line
        conversation
        field
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RequestDatasetUploadMutation, RequestDatasetUploadMutationVariables>;
export const FinalizeDatasetUploadDocument = new TypedDocumentString(`
    mutation FinalizeDatasetUpload($input: FinalizeDatasetUploadInput!) {
  finalizeDatasetUpload(input: $input) {
    __typename
    ... on FinalizeDatasetUploadSuccess {
      dataset {
        ...DatasetFields
      }
    }
    ... on Error {
      code
      message
    }
    ... on ValidationError {
      fieldErrors {
        field
        message
      }
    }
    ... on NotFoundError {
      id
      resource
    }
    ... on DatasetInvalidError {
      kind
      problemCount
      problems {
        line
        conversation
        field
        message
      }
    }
    ... on DuplicateDatasetError {
      existingDataset {
        id
        name
      }
    }
  }
}
    fragment ReadinessCheckFields on ReadinessCheck {
  key
  passed
  blocking
  value
  threshold
  message
}
fragment DatasetFields on Dataset {
  id
  name
  description
  fileName
  format
  importStatus
  encoding
  sizeBytes
  sha256
  conversationCount
  trainingPairCount
  trainablePairCount
  averageQuality
  isGenerated
  vertical
  createdAt
  updatedAt
  readiness {
    ready
    checks {
      ...ReadinessCheckFields
    }
  }
}`) as unknown as TypedDocumentString<FinalizeDatasetUploadMutation, FinalizeDatasetUploadMutationVariables>;
export const DeleteDatasetDocument = new TypedDocumentString(`
    mutation DeleteDataset($input: DeleteDatasetInput!) {
  deleteDataset(input: $input) {
    __typename
    ... on DeleteDatasetSuccess {
      dataset {
        id
        name
      }
    }
    ... on Error {
      code
      message
    }
    ... on NotFoundError {
      id
      resource
    }
    ... on ConfirmationMismatchError {
      expectedName
    }
    ... on ResourceInUseError {
      blockingIds
    }
  }
}
    `) as unknown as TypedDocumentString<DeleteDatasetMutation, DeleteDatasetMutationVariables>;
export const TrainingCatalogDocument = new TypedDocumentString(`
    query TrainingCatalog {
  trainingCatalog {
    defaultPreset
    defaultBaseModel
    defaultGpuType
    defaultMaxDurationHours
    presets {
      key
      label
      description
      bestFor
      hyperparameters {
        epochs
        learningRate
        batchSize
        gradientAccumulationSteps
        loraRank
        loraAlpha
        loraDropout
        maxSequenceLength
        warmupRatio
        quantization
        seed
        validationShare
      }
    }
    baseModels {
      id
      label
      parameterCount
      defaultQuantization
    }
    gpuTypes {
      id
      label
      memoryGb
      recommended
    }
    providers {
      name
      isDefault
      simulated
      ready
      setupHint
    }
  }
}
    `) as unknown as TypedDocumentString<TrainingCatalogQuery, TrainingCatalogQueryVariables>;
export const EstimateTrainingDocument = new TypedDocumentString(`
    query EstimateTraining($input: TrainingPlanInput!) {
  estimateTraining(input: $input) {
    __typename
    ... on EstimateTrainingSuccess {
      estimate {
        ...EstimateFields
      }
    }
    ... on Error {
      code
      message
    }
    ... on ValidationError {
      fieldErrors {
        field
        message
      }
    }
    ... on NotFoundError {
      id
      resource
    }
  }
}
    fragment EstimateFields on TrainingEstimate {
  hours {
    low
    high
  }
  cost {
    lowUsd
    highUsd
    pricePerHourUsd
    priceSource
    priceNote
    storageUsd
  }
  stages {
    stage
    hours {
      low
      high
    }
  }
  totalSteps
  totalTokens
  trainingPairs
  validationPairs
  tokensPerPair
  tokensPerSecond
  peakMemoryGb
  throughputSource
  pastJobs
  warnings {
    code
    message
  }
}`) as unknown as TypedDocumentString<EstimateTrainingQuery, EstimateTrainingQueryVariables>;
export const StartTrainingJobDocument = new TypedDocumentString(`
    mutation StartTrainingJob($input: StartTrainingJobInput!) {
  startTrainingJob(input: $input) {
    __typename
    ... on StartTrainingJobSuccess {
      job {
        ...JobFields
      }
    }
    ... on Error {
      code
      message
    }
    ... on ValidationError {
      fieldErrors {
        field
        message
      }
    }
    ... on NotFoundError {
      id
      resource
    }
    ... on BudgetExceededError {
      budgetUsd
      spentUsd
      estimateHighUsd
    }
    ... on DatasetNotReadyError {
      datasetId
      failedChecks {
        ...ReadinessCheckFields
      }
    }
  }
}
    fragment ReadinessCheckFields on ReadinessCheck {
  key
  passed
  blocking
  value
  threshold
  message
}
fragment MetricPointFields on MetricPoint {
  split
  step
  loss
  learningRate
  gradNorm
  epoch
  tokensPerSecond
  gpuUtilization
  gpuMemoryGb
  perplexity
  recordedAt
}
fragment EstimateFields on TrainingEstimate {
  hours {
    low
    high
  }
  cost {
    lowUsd
    highUsd
    pricePerHourUsd
    priceSource
    priceNote
    storageUsd
  }
  stages {
    stage
    hours {
      low
      high
    }
  }
  totalSteps
  totalTokens
  trainingPairs
  validationPairs
  tokensPerPair
  tokensPerSecond
  peakMemoryGb
  throughputSource
  pastJobs
  warnings {
    code
    message
  }
}
fragment JobFields on TrainingJob {
  id
  status
  substatus
  provider
  isSimulated
  isActive
  preset
  baseModel
  gpuType
  cloudType
  currentStep
  totalSteps
  currentEpoch
  totalEpochs
  progress
  spendUsd
  costCapUsd
  etaSeconds
  interruptionCount
  errorCode
  errorMessage
  cancelReason
  createdAt
  startedAt
  finishedAt
  lastHeartbeatAt
  dataset {
    id
    name
  }
  latestMetrics {
    train {
      ...MetricPointFields
    }
    eval {
      ...MetricPointFields
    }
  }
  estimate {
    ...EstimateFields
  }
  artifact {
    id
    name
  }
}`) as unknown as TypedDocumentString<StartTrainingJobMutation, StartTrainingJobMutationVariables>;
export const TrainingJobDocument = new TypedDocumentString(`
    query TrainingJob($id: ID!) {
  trainingJob(id: $id) {
    ...JobFields
  }
}
    fragment MetricPointFields on MetricPoint {
  split
  step
  loss
  learningRate
  gradNorm
  epoch
  tokensPerSecond
  gpuUtilization
  gpuMemoryGb
  perplexity
  recordedAt
}
fragment EstimateFields on TrainingEstimate {
  hours {
    low
    high
  }
  cost {
    lowUsd
    highUsd
    pricePerHourUsd
    priceSource
    priceNote
    storageUsd
  }
  stages {
    stage
    hours {
      low
      high
    }
  }
  totalSteps
  totalTokens
  trainingPairs
  validationPairs
  tokensPerPair
  tokensPerSecond
  peakMemoryGb
  throughputSource
  pastJobs
  warnings {
    code
    message
  }
}
fragment JobFields on TrainingJob {
  id
  status
  substatus
  provider
  isSimulated
  isActive
  preset
  baseModel
  gpuType
  cloudType
  currentStep
  totalSteps
  currentEpoch
  totalEpochs
  progress
  spendUsd
  costCapUsd
  etaSeconds
  interruptionCount
  errorCode
  errorMessage
  cancelReason
  createdAt
  startedAt
  finishedAt
  lastHeartbeatAt
  dataset {
    id
    name
  }
  latestMetrics {
    train {
      ...MetricPointFields
    }
    eval {
      ...MetricPointFields
    }
  }
  estimate {
    ...EstimateFields
  }
  artifact {
    id
    name
  }
}`) as unknown as TypedDocumentString<TrainingJobQuery, TrainingJobQueryVariables>;
export const TrainingJobsDocument = new TypedDocumentString(`
    query TrainingJobs($first: Int, $after: String, $filter: TrainingJobFilter) {
  trainingJobs(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo {
      ...PageInfoFields
    }
    edges {
      node {
        ...JobFields
      }
    }
  }
}
    fragment MetricPointFields on MetricPoint {
  split
  step
  loss
  learningRate
  gradNorm
  epoch
  tokensPerSecond
  gpuUtilization
  gpuMemoryGb
  perplexity
  recordedAt
}
fragment EstimateFields on TrainingEstimate {
  hours {
    low
    high
  }
  cost {
    lowUsd
    highUsd
    pricePerHourUsd
    priceSource
    priceNote
    storageUsd
  }
  stages {
    stage
    hours {
      low
      high
    }
  }
  totalSteps
  totalTokens
  trainingPairs
  validationPairs
  tokensPerPair
  tokensPerSecond
  peakMemoryGb
  throughputSource
  pastJobs
  warnings {
    code
    message
  }
}
fragment JobFields on TrainingJob {
  id
  status
  substatus
  provider
  isSimulated
  isActive
  preset
  baseModel
  gpuType
  cloudType
  currentStep
  totalSteps
  currentEpoch
  totalEpochs
  progress
  spendUsd
  costCapUsd
  etaSeconds
  interruptionCount
  errorCode
  errorMessage
  cancelReason
  createdAt
  startedAt
  finishedAt
  lastHeartbeatAt
  dataset {
    id
    name
  }
  latestMetrics {
    train {
      ...MetricPointFields
    }
    eval {
      ...MetricPointFields
    }
  }
  estimate {
    ...EstimateFields
  }
  artifact {
    id
    name
  }
}
fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}`) as unknown as TypedDocumentString<TrainingJobsQuery, TrainingJobsQueryVariables>;
export const CancelTrainingJobDocument = new TypedDocumentString(`
    mutation CancelTrainingJob($input: CancelTrainingJobInput!) {
  cancelTrainingJob(input: $input) {
    __typename
    ... on CancelTrainingJobSuccess {
      job {
        ...JobFields
      }
    }
    ... on Error {
      code
      message
    }
    ... on ValidationError {
      fieldErrors {
        field
        message
      }
    }
    ... on NotFoundError {
      id
      resource
    }
    ... on JobFinishedError {
      jobId
      status
    }
  }
}
    fragment MetricPointFields on MetricPoint {
  split
  step
  loss
  learningRate
  gradNorm
  epoch
  tokensPerSecond
  gpuUtilization
  gpuMemoryGb
  perplexity
  recordedAt
}
fragment EstimateFields on TrainingEstimate {
  hours {
    low
    high
  }
  cost {
    lowUsd
    highUsd
    pricePerHourUsd
    priceSource
    priceNote
    storageUsd
  }
  stages {
    stage
    hours {
      low
      high
    }
  }
  totalSteps
  totalTokens
  trainingPairs
  validationPairs
  tokensPerPair
  tokensPerSecond
  peakMemoryGb
  throughputSource
  pastJobs
  warnings {
    code
    message
  }
}
fragment JobFields on TrainingJob {
  id
  status
  substatus
  provider
  isSimulated
  isActive
  preset
  baseModel
  gpuType
  cloudType
  currentStep
  totalSteps
  currentEpoch
  totalEpochs
  progress
  spendUsd
  costCapUsd
  etaSeconds
  interruptionCount
  errorCode
  errorMessage
  cancelReason
  createdAt
  startedAt
  finishedAt
  lastHeartbeatAt
  dataset {
    id
    name
  }
  latestMetrics {
    train {
      ...MetricPointFields
    }
    eval {
      ...MetricPointFields
    }
  }
  estimate {
    ...EstimateFields
  }
  artifact {
    id
    name
  }
}`) as unknown as TypedDocumentString<CancelTrainingJobMutation, CancelTrainingJobMutationVariables>;
export const TrainingJobUpdatedDocument = new TypedDocumentString(`
    subscription TrainingJobUpdated($id: ID!) {
  trainingJobUpdated(id: $id) {
    ...JobFields
  }
}
    fragment MetricPointFields on MetricPoint {
  split
  step
  loss
  learningRate
  gradNorm
  epoch
  tokensPerSecond
  gpuUtilization
  gpuMemoryGb
  perplexity
  recordedAt
}
fragment EstimateFields on TrainingEstimate {
  hours {
    low
    high
  }
  cost {
    lowUsd
    highUsd
    pricePerHourUsd
    priceSource
    priceNote
    storageUsd
  }
  stages {
    stage
    hours {
      low
      high
    }
  }
  totalSteps
  totalTokens
  trainingPairs
  validationPairs
  tokensPerPair
  tokensPerSecond
  peakMemoryGb
  throughputSource
  pastJobs
  warnings {
    code
    message
  }
}
fragment JobFields on TrainingJob {
  id
  status
  substatus
  provider
  isSimulated
  isActive
  preset
  baseModel
  gpuType
  cloudType
  currentStep
  totalSteps
  currentEpoch
  totalEpochs
  progress
  spendUsd
  costCapUsd
  etaSeconds
  interruptionCount
  errorCode
  errorMessage
  cancelReason
  createdAt
  startedAt
  finishedAt
  lastHeartbeatAt
  dataset {
    id
    name
  }
  latestMetrics {
    train {
      ...MetricPointFields
    }
    eval {
      ...MetricPointFields
    }
  }
  estimate {
    ...EstimateFields
  }
  artifact {
    id
    name
  }
}`) as unknown as TypedDocumentString<TrainingJobUpdatedSubscription, TrainingJobUpdatedSubscriptionVariables>;
export const TrainingMetricsDocument = new TypedDocumentString(`
    subscription TrainingMetrics($jobId: ID!, $afterStep: Int) {
  trainingMetrics(jobId: $jobId, afterStep: $afterStep) {
    ...MetricPointFields
  }
}
    fragment MetricPointFields on MetricPoint {
  split
  step
  loss
  learningRate
  gradNorm
  epoch
  tokensPerSecond
  gpuUtilization
  gpuMemoryGb
  perplexity
  recordedAt
}`) as unknown as TypedDocumentString<TrainingMetricsSubscription, TrainingMetricsSubscriptionVariables>;
export const JobMetricsDocument = new TypedDocumentString(`
    query JobMetrics($jobId: ID!, $split: MetricSplit, $fromStep: Int, $toStep: Int, $maxPoints: Int) {
  jobMetrics(
    jobId: $jobId
    split: $split
    fromStep: $fromStep
    toStep: $toStep
    maxPoints: $maxPoints
  ) {
    __typename
    ... on JobMetricsSuccess {
      series {
        jobId
        split
        downsampled
        method
        bucketSteps
        totalPoints
        points {
          ...MetricPointFields
        }
      }
    }
    ... on Error {
      code
      message
    }
    ... on ValidationError {
      fieldErrors {
        field
        message
      }
    }
    ... on NotFoundError {
      id
      resource
    }
  }
}
    fragment MetricPointFields on MetricPoint {
  split
  step
  loss
  learningRate
  gradNorm
  epoch
  tokensPerSecond
  gpuUtilization
  gpuMemoryGb
  perplexity
  recordedAt
}`) as unknown as TypedDocumentString<JobMetricsQuery, JobMetricsQueryVariables>;
export const NotificationsDocument = new TypedDocumentString(`
    query Notifications($first: Int, $after: String, $unreadOnly: Boolean) {
  notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
    totalCount
    unreadCount
    pageInfo {
      ...PageInfoFields
    }
    edges {
      node {
        ...NotificationFields
      }
    }
  }
}
    fragment NotificationFields on Notification {
  id
  kind
  title
  body
  jobId
  link
  readAt
  createdAt
}
fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}`) as unknown as TypedDocumentString<NotificationsQuery, NotificationsQueryVariables>;
export const MarkNotificationsReadDocument = new TypedDocumentString(`
    mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {
  markNotificationsRead(input: $input) {
    __typename
    ... on MarkNotificationsReadSuccess {
      markedCount
      unreadCount
    }
    ... on Error {
      code
      message
    }
    ... on ValidationError {
      fieldErrors {
        field
        message
      }
    }
    ... on NotFoundError {
      id
      resource
    }
  }
}
    `) as unknown as TypedDocumentString<MarkNotificationsReadMutation, MarkNotificationsReadMutationVariables>;
export const NotificationAddedDocument = new TypedDocumentString(`
    subscription NotificationAdded {
  notificationAdded {
    ...NotificationFields
  }
}
    fragment NotificationFields on Notification {
  id
  kind
  title
  body
  jobId
  link
  readAt
  createdAt
}`) as unknown as TypedDocumentString<NotificationAddedSubscription, NotificationAddedSubscriptionVariables>;
export const SpendDocument = new TypedDocumentString(`
    query Spend($month: String) {
  spend(month: $month) {
    __typename
    ... on SpendSuccess {
      spend {
        month
        totalUsd
        previousMonthUsd
        changeUsd
        changePercent
        budgetUsd
        budgetUsedShare
        jobs {
          jobId
          spendUsd
          attempts
        }
      }
    }
    ... on Error {
      code
      message
    }
    ... on ValidationError {
      fieldErrors {
        field
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SpendQuery, SpendQueryVariables>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    scopes
    workspace {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;