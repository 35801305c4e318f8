-- A host still online on paper but silent longer than ESMON_HOST_STALE_AFTER is "stale": the
-- liveness sweep says so (and publishes it) before it calls the host offline.
ALTER TYPE "HostStatus" ADD VALUE IF NOT EXISTS 'stale';
