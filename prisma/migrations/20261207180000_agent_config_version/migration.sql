-- The probe configuration each agent runs (the server's hash of it, as the agent reports it with
-- every batch), so the workbench can tell an agent that has not picked up a change.
ALTER TABLE "agents" ADD COLUMN "config_version" TEXT;
