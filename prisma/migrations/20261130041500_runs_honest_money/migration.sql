-- DropIndex
DROP INDEX "ModelArtifact_datasetId_version_key";

-- AlterTable
ALTER TABLE "JobAttempt" ADD COLUMN     "exitKind" TEXT;

-- AlterTable
ALTER TABLE "ModelArtifact" ADD COLUMN     "isSimulated" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "TrainingJob" ADD COLUMN     "lastProgressAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "WorkspaceSettings" ADD COLUMN     "huggingFaceTokenEncrypted" TEXT,
ADD COLUMN     "slackWebhookUrlEncrypted" TEXT;

-- Backfill: artifacts of demo jobs are simulated (their versions stay as they were; new ones count apart).
UPDATE "ModelArtifact" a SET "isSimulated" = true FROM "TrainingJob" j WHERE j.id = a."jobId" AND j."isSimulated";

-- CreateIndex
CREATE UNIQUE INDEX "ModelArtifact_datasetId_isSimulated_version_key" ON "ModelArtifact"("datasetId", "isSimulated", "version");
