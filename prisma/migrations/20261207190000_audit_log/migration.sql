-- The audit log: one row per GraphQL mutation, written before it runs and closed after it, with
-- the actor named as they were (users and keys can be deleted: no foreign keys), the client's
-- address, the outcome, and for configuration objects their state before and after.

-- CreateEnum
CREATE TYPE "ActorKind" AS ENUM ('user', 'agent', 'integration', 'anonymous');

-- CreateTable
CREATE TABLE "audit_log" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_kind" "ActorKind" NOT NULL,
    "actor_id" INTEGER,
    "actor_name" TEXT,
    "address" TEXT,
    "operation" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "outcome" TEXT,
    "details" JSONB,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "audit_log_actor_kind_actor_id_id_idx" ON "audit_log"("actor_kind", "actor_id", "id");

-- CreateIndex
CREATE INDEX "audit_log_operation_id_idx" ON "audit_log"("operation", "id");

-- CreateIndex
CREATE INDEX "audit_log_target_type_target_id_id_idx" ON "audit_log"("target_type", "target_id", "id");
