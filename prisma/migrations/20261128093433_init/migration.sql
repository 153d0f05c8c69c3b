-- CreateEnum
CREATE TYPE "ApiKeyScope" AS ENUM ('READ', 'WRITE', 'ADMIN');

-- CreateEnum
CREATE TYPE "DatasetStatus" AS ENUM ('UPLOADING', 'VALIDATING', 'READY');

-- CreateEnum
CREATE TYPE "DatasetEncoding" AS ENUM ('JSON', 'JSONL');

-- CreateEnum
CREATE TYPE "CloudType" AS ENUM ('SPOT', 'ON_DEMAND');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('QUEUED', 'PROVISIONING', 'PREPROCESSING', 'MODEL_LOADING', 'TRAINING', 'FINALIZING', 'INTERRUPTED', 'COMPLETED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "AttemptEndReason" AS ENUM ('COMPLETED', 'INTERRUPTED', 'CANCELLED', 'FAILED');

-- CreateEnum
CREATE TYPE "EventLevel" AS ENUM ('INFO', 'WARNING', 'ERROR');

-- CreateEnum
CREATE TYPE "MetricSplit" AS ENUM ('TRAIN', 'EVAL');

-- CreateEnum
CREATE TYPE "CheckpointStatus" AS ENUM ('PENDING', 'COMMITTED');

-- CreateEnum
CREATE TYPE "ArtifactStatus" AS ENUM ('STORED', 'TESTING', 'PRODUCTION', 'ARCHIVED');

-- CreateTable
CREATE TABLE "Workspace" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Workspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "scopes" "ApiKeyScope"[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkspaceSettings" (
    "workspaceId" TEXT NOT NULL,
    "runpodApiKeyEncrypted" TEXT,
    "defaultPreset" TEXT NOT NULL DEFAULT 'BALANCED',
    "defaultGpuType" TEXT NOT NULL DEFAULT 'NVIDIA H100 PCIe',
    "defaultCloudType" "CloudType" NOT NULL DEFAULT 'SPOT',
    "monthlyBudgetUsd" DECIMAL(12,2),
    "slackWebhookUrl" TEXT,
    "webhookUrl" TEXT,
    "webhookSecretEncrypted" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WorkspaceSettings_pkey" PRIMARY KEY ("workspaceId")
);

-- CreateTable
CREATE TABLE "Dataset" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "format" TEXT NOT NULL DEFAULT 'brightrun-lora-v4',
    "encoding" "DatasetEncoding",
    "status" "DatasetStatus" NOT NULL,
    "fileName" TEXT,
    "storagePath" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL DEFAULT 0,
    "sha256" TEXT,
    "vertical" TEXT,
    "conversationCount" INTEGER NOT NULL DEFAULT 0,
    "trainingPairCount" INTEGER NOT NULL DEFAULT 0,
    "trainablePairCount" INTEGER NOT NULL DEFAULT 0,
    "averageQuality" DOUBLE PRECISION,
    "tokenStats" JSONB,
    "qualitySummary" JSONB,
    "scaffolding" JSONB,
    "consultantProfile" JSONB,
    "fileMetadata" JSONB,
    "readiness" JSONB,
    "isGenerated" BOOLEAN NOT NULL DEFAULT false,
    "uploadExpiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetConversation" (
    "datasetId" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "conversationId" TEXT NOT NULL,
    "personaKey" TEXT,
    "personaName" TEXT,
    "emotionalArcKey" TEXT,
    "emotionalArc" TEXT,
    "trainingTopicKey" TEXT,
    "trainingTopic" TEXT,
    "qualityTier" TEXT,
    "pairCount" INTEGER NOT NULL,
    "trainablePairCount" INTEGER NOT NULL,
    "averageQuality" DOUBLE PRECISION,
    "byteOffset" BIGINT NOT NULL,
    "byteLength" INTEGER NOT NULL,

    CONSTRAINT "DatasetConversation_pkey" PRIMARY KEY ("datasetId","ordinal")
);

-- CreateTable
CREATE TABLE "TrainingConfiguration" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "preset" TEXT NOT NULL,
    "hyperparameters" JSONB NOT NULL,
    "baseModel" TEXT NOT NULL,
    "gpuType" TEXT NOT NULL,
    "cloudType" "CloudType" NOT NULL,
    "maxDurationHours" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrainingConfiguration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingJob" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "configurationId" TEXT,
    "idempotencyKey" TEXT,
    "preset" TEXT NOT NULL,
    "hyperparameters" JSONB NOT NULL,
    "baseModel" TEXT NOT NULL,
    "gpuType" TEXT NOT NULL,
    "cloudType" "CloudType" NOT NULL,
    "allowOnDemandFallback" BOOLEAN NOT NULL DEFAULT false,
    "maxDurationHours" DOUBLE PRECISION NOT NULL,
    "costCapUsd" DECIMAL(12,4),
    "estimate" JSONB NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "substatus" TEXT,
    "currentStep" INTEGER NOT NULL DEFAULT 0,
    "totalSteps" INTEGER,
    "currentEpoch" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "totalEpochs" INTEGER NOT NULL,
    "spendUsd" DECIMAL(12,4) NOT NULL DEFAULT 0,
    "provider" TEXT NOT NULL,
    "isSimulated" BOOLEAN NOT NULL DEFAULT false,
    "trainerTokenHash" TEXT NOT NULL,
    "interruptionCount" INTEGER NOT NULL DEFAULT 0,
    "lastHeartbeatAt" TIMESTAMP(3),
    "cancelReason" TEXT,
    "cancelRequestedAt" TIMESTAMP(3),
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrainingJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobAttempt" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "providerPodId" TEXT,
    "cloudType" "CloudType" NOT NULL,
    "pricePerHour" DECIMAL(10,4) NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),
    "endReason" "AttemptEndReason",
    "billedUsd" DECIMAL(12,4),

    CONSTRAINT "JobAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobEvent" (
    "id" BIGSERIAL NOT NULL,
    "jobId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "level" "EventLevel" NOT NULL DEFAULT 'INFO',
    "message" TEXT NOT NULL,
    "data" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MetricPoint" (
    "jobId" TEXT NOT NULL,
    "split" "MetricSplit" NOT NULL,
    "step" INTEGER NOT NULL,
    "loss" DOUBLE PRECISION,
    "learningRate" DOUBLE PRECISION,
    "gradNorm" DOUBLE PRECISION,
    "epoch" DOUBLE PRECISION,
    "tokensPerSecond" DOUBLE PRECISION,
    "gpuUtilization" DOUBLE PRECISION,
    "gpuMemoryGb" DOUBLE PRECISION,
    "perplexity" DOUBLE PRECISION,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MetricPoint_pkey" PRIMARY KEY ("jobId","split","step")
);

-- CreateTable
CREATE TABLE "Checkpoint" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "storagePrefix" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL DEFAULT 0,
    "files" JSONB NOT NULL,
    "status" "CheckpointStatus" NOT NULL DEFAULT 'PENDING',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "committedAt" TIMESTAMP(3),

    CONSTRAINT "Checkpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelArtifact" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "ArtifactStatus" NOT NULL DEFAULT 'STORED',
    "baseModel" TEXT NOT NULL,
    "storagePrefix" TEXT NOT NULL,
    "files" JSONB NOT NULL,
    "initialLoss" DOUBLE PRECISION,
    "finalLoss" DOUBLE PRECISION,
    "evalLoss" DOUBLE PRECISION,
    "perplexity" DOUBLE PRECISION,
    "qualityRating" INTEGER,
    "summary" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "ModelArtifact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "jobId" TEXT,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "link" TEXT,
    "readAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_keyHash_key" ON "ApiKey"("keyHash");

-- CreateIndex
CREATE INDEX "ApiKey_workspaceId_idx" ON "ApiKey"("workspaceId");

-- CreateIndex
CREATE INDEX "Dataset_workspaceId_createdAt_idx" ON "Dataset"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "Dataset_workspaceId_sha256_idx" ON "Dataset"("workspaceId", "sha256");

-- CreateIndex
CREATE INDEX "Dataset_workspaceId_name_idx" ON "Dataset"("workspaceId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingConfiguration_workspaceId_name_key" ON "TrainingConfiguration"("workspaceId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingJob_trainerTokenHash_key" ON "TrainingJob"("trainerTokenHash");

-- CreateIndex
CREATE INDEX "TrainingJob_workspaceId_createdAt_idx" ON "TrainingJob"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "TrainingJob_status_idx" ON "TrainingJob"("status");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingJob_workspaceId_idempotencyKey_key" ON "TrainingJob"("workspaceId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "JobAttempt_jobId_number_key" ON "JobAttempt"("jobId", "number");

-- CreateIndex
CREATE INDEX "JobEvent_jobId_id_idx" ON "JobEvent"("jobId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Checkpoint_jobId_step_key" ON "Checkpoint"("jobId", "step");

-- CreateIndex
CREATE UNIQUE INDEX "ModelArtifact_jobId_key" ON "ModelArtifact"("jobId");

-- CreateIndex
CREATE INDEX "ModelArtifact_workspaceId_createdAt_idx" ON "ModelArtifact"("workspaceId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ModelArtifact_datasetId_version_key" ON "ModelArtifact"("datasetId", "version");

-- CreateIndex
CREATE INDEX "Notification_workspaceId_createdAt_idx" ON "Notification"("workspaceId", "createdAt");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkspaceSettings" ADD CONSTRAINT "WorkspaceSettings_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dataset" ADD CONSTRAINT "Dataset_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetConversation" ADD CONSTRAINT "DatasetConversation_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingConfiguration" ADD CONSTRAINT "TrainingConfiguration_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingJob" ADD CONSTRAINT "TrainingJob_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingJob" ADD CONSTRAINT "TrainingJob_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingJob" ADD CONSTRAINT "TrainingJob_configurationId_fkey" FOREIGN KEY ("configurationId") REFERENCES "TrainingConfiguration"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JobAttempt" ADD CONSTRAINT "JobAttempt_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "TrainingJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JobEvent" ADD CONSTRAINT "JobEvent_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "TrainingJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MetricPoint" ADD CONSTRAINT "MetricPoint_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "TrainingJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Checkpoint" ADD CONSTRAINT "Checkpoint_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "TrainingJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelArtifact" ADD CONSTRAINT "ModelArtifact_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelArtifact" ADD CONSTRAINT "ModelArtifact_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "TrainingJob"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelArtifact" ADD CONSTRAINT "ModelArtifact_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "TrainingJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;
