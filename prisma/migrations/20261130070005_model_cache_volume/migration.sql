-- AlterTable
ALTER TABLE "JobAttempt" ADD COLUMN     "storageUsdPerHour" DECIMAL(12,6) NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ModelCacheVolume" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "runpodVolumeId" VARCHAR(100) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "dataCenterId" VARCHAR(100) NOT NULL,
    "sizeGb" INTEGER NOT NULL,
    "usdPerGbMonth" DECIMAL(8,4) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "ModelCacheVolume_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ModelCacheVolume_workspaceId_createdAt_idx" ON "ModelCacheVolume"("workspaceId", "createdAt");

-- AddForeignKey
ALTER TABLE "ModelCacheVolume" ADD CONSTRAINT "ModelCacheVolume_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
