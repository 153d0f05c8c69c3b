-- CreateTable
CREATE TABLE "MetricRollup" (
    "jobId" TEXT NOT NULL,
    "split" "MetricSplit" NOT NULL,
    "width" INTEGER NOT NULL,
    "bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "firstStep" INTEGER NOT NULL,
    "lastStep" INTEGER NOT NULL,
    "minLoss" DOUBLE PRECISION,
    "minLossStep" INTEGER,
    "maxLoss" DOUBLE PRECISION,
    "maxLossStep" INTEGER,

    CONSTRAINT "MetricRollup_pkey" PRIMARY KEY ("jobId","split","width","bucket")
);

-- AddForeignKey
ALTER TABLE "MetricRollup" ADD CONSTRAINT "MetricRollup_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "TrainingJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: roll up the points stored before this migration, each tier from the one below it
-- (the same aggregation storeMetrics keeps up to date; see server/src/metrics/rollup.ts).
INSERT INTO "MetricRollup" ("jobId", "split", "width", "bucket", "count", "firstStep", "lastStep", "minLoss", "minLossStep", "maxLoss", "maxLossStep")
SELECT "jobId", "split", 64, "step" / 64, count(*)::int, min("step"), max("step"),
       min("loss"), (array_agg("step" ORDER BY "loss" ASC, "step" ASC) FILTER (WHERE "loss" IS NOT NULL))[1],
       max("loss"), (array_agg("step" ORDER BY "loss" DESC, "step" ASC) FILTER (WHERE "loss" IS NOT NULL))[1]
FROM "MetricPoint"
GROUP BY "jobId", "split", "step" / 64;

INSERT INTO "MetricRollup" ("jobId", "split", "width", "bucket", "count", "firstStep", "lastStep", "minLoss", "minLossStep", "maxLoss", "maxLossStep")
SELECT "jobId", "split", "width" * 16, "bucket" / 16, sum("count")::int, min("firstStep"), max("lastStep"),
       min("minLoss"), (array_agg("minLossStep" ORDER BY "minLoss" ASC, "minLossStep" ASC) FILTER (WHERE "minLoss" IS NOT NULL))[1],
       max("maxLoss"), (array_agg("maxLossStep" ORDER BY "maxLoss" DESC, "maxLossStep" ASC) FILTER (WHERE "maxLoss" IS NOT NULL))[1]
FROM "MetricRollup" WHERE "width" = 64
GROUP BY "jobId", "split", "width", "bucket" / 16;

INSERT INTO "MetricRollup" ("jobId", "split", "width", "bucket", "count", "firstStep", "lastStep", "minLoss", "minLossStep", "maxLoss", "maxLossStep")
SELECT "jobId", "split", "width" * 16, "bucket" / 16, sum("count")::int, min("firstStep"), max("lastStep"),
       min("minLoss"), (array_agg("minLossStep" ORDER BY "minLoss" ASC, "minLossStep" ASC) FILTER (WHERE "minLoss" IS NOT NULL))[1],
       max("maxLoss"), (array_agg("maxLossStep" ORDER BY "maxLoss" DESC, "maxLossStep" ASC) FILTER (WHERE "maxLoss" IS NOT NULL))[1]
FROM "MetricRollup" WHERE "width" = 1024
GROUP BY "jobId", "split", "width", "bucket" / 16;

INSERT INTO "MetricRollup" ("jobId", "split", "width", "bucket", "count", "firstStep", "lastStep", "minLoss", "minLossStep", "maxLoss", "maxLossStep")
SELECT "jobId", "split", "width" * 16, "bucket" / 16, sum("count")::int, min("firstStep"), max("lastStep"),
       min("minLoss"), (array_agg("minLossStep" ORDER BY "minLoss" ASC, "minLossStep" ASC) FILTER (WHERE "minLoss" IS NOT NULL))[1],
       max("maxLoss"), (array_agg("maxLossStep" ORDER BY "maxLoss" DESC, "maxLossStep" ASC) FILTER (WHERE "maxLoss" IS NOT NULL))[1]
FROM "MetricRollup" WHERE "width" = 16384
GROUP BY "jobId", "split", "width", "bucket" / 16;
