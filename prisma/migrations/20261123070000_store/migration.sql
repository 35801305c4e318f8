-- The time-series store: daily-partitioned raw samples, hourly compacted chunks, 1-minute and
-- 1-hour rollups, retention policies. Partitions themselves are created by the server
-- (apps/server/src/store/partitions.ts) ahead of time and on demand; this migration creates the
-- partitioned parents and moves any samples the foundation stored into daily partitions.

-- samples becomes partitioned by day on ts
ALTER TABLE "samples" RENAME TO "samples_unpartitioned";
ALTER TABLE "samples_unpartitioned" RENAME CONSTRAINT "samples_pkey" TO "samples_unpartitioned_pkey";

CREATE TABLE "samples" (
    "series_id" INTEGER NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "samples_pkey" PRIMARY KEY ("series_id","ts")
) PARTITION BY RANGE ("ts");

CREATE INDEX "samples_ts_idx" ON "samples" USING BRIN ("ts");

DO $$
DECLARE
  d date;
BEGIN
  FOR d IN SELECT DISTINCT (ts AT TIME ZONE 'UTC')::date FROM "samples_unpartitioned" LOOP
    EXECUTE format(
      'CREATE TABLE %I PARTITION OF "samples" FOR VALUES FROM (%L) TO (%L)',
      'samples_p' || to_char(d, 'YYYYMMDD'),
      (d::timestamp AT TIME ZONE 'UTC'),
      ((d + 1)::timestamp AT TIME ZONE 'UTC'));
  END LOOP;
END $$;

INSERT INTO "samples" ("series_id", "ts", "value") SELECT "series_id", "ts", "value" FROM "samples_unpartitioned";
DROP TABLE "samples_unpartitioned";

-- CreateTable
CREATE TABLE "sample_chunks" (
    "series_id" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "start" TIMESTAMPTZ(3) NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "sample_chunks_pkey" PRIMARY KEY ("series_id","start")
) PARTITION BY RANGE ("start");

-- CreateTable
CREATE TABLE "samples_1m" (
    "series_id" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "start" TIMESTAMPTZ(3) NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "samples_1m_pkey" PRIMARY KEY ("series_id","start")
) PARTITION BY RANGE ("start");
-- an hour block is ≈ 2.6 kB of floats that do not compress: keep it in the row, not in TOAST
-- (partitions inherit the column's storage)
ALTER TABLE "samples_1m" ALTER COLUMN "data" SET STORAGE MAIN;

-- CreateTable
CREATE TABLE "samples_1h" (
    "series_id" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "min" DOUBLE PRECISION NOT NULL,
    "max" DOUBLE PRECISION NOT NULL,
    "sum" DOUBLE PRECISION NOT NULL,
    "first" DOUBLE PRECISION NOT NULL,
    "last" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "samples_1h_pkey" PRIMARY KEY ("series_id","bucket")
) PARTITION BY RANGE ("bucket");

-- CreateTable
CREATE TABLE "retention_policies" (
    "resolution" TEXT NOT NULL,
    "keep_seconds" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by_id" INTEGER,

    CONSTRAINT "retention_policies_pkey" PRIMARY KEY ("resolution")
);

-- CreateIndex
CREATE INDEX "series_labels_idx" ON "series" USING GIN ("labels" jsonb_path_ops);

-- AddForeignKey
ALTER TABLE "retention_policies" ADD CONSTRAINT "retention_policies_updated_by_id_fkey" FOREIGN KEY ("updated_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
