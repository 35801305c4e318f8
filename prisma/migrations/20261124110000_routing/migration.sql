-- Routing alert events to channels. An alert event with notify = true is the notification intent,
-- written in the transition's own statement; routed_at says the router has turned it into group
-- membership. Events from before this migration count as routed: no storm of old news.
ALTER TABLE "alert_events" ADD COLUMN "routed_at" TIMESTAMPTZ(3);
UPDATE "alert_events" SET "routed_at" = CURRENT_TIMESTAMP WHERE "notify";
CREATE INDEX "alert_events_notify_routed_at_idx" ON "alert_events"("notify", "routed_at");

-- The routing tree (one row)
CREATE TABLE "notification_policy" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "policy" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_policy_pkey" PRIMARY KEY ("id")
);

-- One group of alerts on one channel (group_by), with what was last said and when to look again
CREATE TABLE "notification_groups" (
    "id" SERIAL NOT NULL,
    "channel_id" INTEGER NOT NULL,
    "group_key" TEXT NOT NULL,
    "group_labels" JSONB NOT NULL DEFAULT '{}',
    "timing" JSONB NOT NULL,
    "alert_ids" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "firing_since" TIMESTAMPTZ(3),
    "last_sent_at" TIMESTAMPTZ(3),
    "last_sent_digest" TEXT,
    "escalated" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "wake_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_groups_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "notification_groups_channel_id_group_key_key" ON "notification_groups"("channel_id", "group_key");
CREATE INDEX "notification_groups_wake_at_idx" ON "notification_groups"("wake_at");

ALTER TABLE "notification_groups" ADD CONSTRAINT "notification_groups_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "notification_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;
