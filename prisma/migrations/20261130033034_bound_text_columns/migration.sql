-- Bound the text columns that API inputs write (validation/input-bounds.ts refuses longer values
-- at the edge). Rows written before the bounds may hold more: a 20 MB dataset description made
-- every `datasets { description }` listing fail. Those are cut to the bound first, marked with
-- "…"; a configuration name keeps its per-workspace uniqueness through the end of its id.

UPDATE "ApiKey" SET "name" = left("name", 199) || '…' WHERE length("name") > 200;
UPDATE "Dataset" SET "name" = left("name", 199) || '…' WHERE length("name") > 200;
UPDATE "Dataset" SET "description" = left("description", 1999) || '…' WHERE length("description") > 2000;
UPDATE "Dataset" SET "fileName" = left("fileName", 199) || '…' WHERE length("fileName") > 200;
UPDATE "TrainingConfiguration" SET "name" = left("name", 185) || '… ' || right("id", 12) WHERE length("name") > 200;
UPDATE "TrainingJob" SET "cancelReason" = left("cancelReason", 499) || '…' WHERE length("cancelReason") > 500;

-- AlterTable
ALTER TABLE "ApiKey" ALTER COLUMN "name" SET DATA TYPE VARCHAR(200) USING left("name", 200);

-- AlterTable
ALTER TABLE "Dataset" ALTER COLUMN "name" SET DATA TYPE VARCHAR(200) USING left("name", 200),
ALTER COLUMN "description" SET DATA TYPE VARCHAR(2000) USING left("description", 2000),
ALTER COLUMN "fileName" SET DATA TYPE VARCHAR(200) USING left("fileName", 200);

-- AlterTable
ALTER TABLE "TrainingConfiguration" ALTER COLUMN "name" SET DATA TYPE VARCHAR(200) USING left("name", 200);

-- AlterTable
ALTER TABLE "TrainingJob" ALTER COLUMN "cancelReason" SET DATA TYPE VARCHAR(500) USING left("cancelReason", 500);
