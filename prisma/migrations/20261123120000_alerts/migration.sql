-- Rules and alerts: rule versions, the alert state machine's stored status, alert history with
-- reasons and users, silences and maintenance windows.

-- a pending alert whose breach ended before it fired closes as "ok"
ALTER TYPE "AlertState" ADD VALUE IF NOT EXISTS 'ok' BEFORE 'pending';

-- AlterTable
ALTER TABLE "rules" ADD COLUMN "comparator" TEXT NOT NULL DEFAULT '>',
ADD COLUMN "threshold_form" JSONB,
ADD COLUMN "depends_on" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- CreateTable
CREATE TABLE "rule_versions" (
    "id" SERIAL NOT NULL,
    "rule_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "author_id" INTEGER,
    "comment" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rule_versions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "rule_versions_rule_id_version_key" ON "rule_versions"("rule_id", "version");

-- AddForeignKey
ALTER TABLE "rule_versions" ADD CONSTRAINT "rule_versions_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "rule_versions" ADD CONSTRAINT "rule_versions_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "alerts" ADD COLUMN "status" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN "flapping" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "suppressed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "open_key" TEXT,
ADD COLUMN "annotations" JSONB NOT NULL DEFAULT '{}';

-- CreateIndex
CREATE UNIQUE INDEX "alerts_open_key_key" ON "alerts"("open_key");

-- AlterTable
ALTER TABLE "alert_events" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'state',
ADD COLUMN "from_severity" "Severity",
ADD COLUMN "notify" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "muted_by" TEXT,
ADD COLUMN "user_id" INTEGER;

-- AddForeignKey
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "silences" (
    "id" SERIAL NOT NULL,
    "matchers" JSONB NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "comment" TEXT NOT NULL,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "silences_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "silences_ends_at_idx" ON "silences"("ends_at");

-- AddForeignKey
ALTER TABLE "silences" ADD CONSTRAINT "silences_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "maintenance_windows" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_seconds" INTEGER NOT NULL,
    "rrule" TEXT,
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "scope" JSONB NOT NULL DEFAULT '{}',
    "keep_evaluating" BOOLEAN NOT NULL DEFAULT true,
    "suppress_notifications" BOOLEAN NOT NULL DEFAULT true,
    "mute_first_recovery" BOOLEAN NOT NULL DEFAULT true,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "maintenance_windows_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "maintenance_windows" ADD CONSTRAINT "maintenance_windows_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "settings" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);
