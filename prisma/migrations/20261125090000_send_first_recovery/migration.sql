-- "Send first recovery": an alert whose firing was announced before a silence or a maintenance
-- window began still announces its recovery, so whoever was told of the problem hears it is over.
-- Silences do it by default (people silence what already paged them); maintenance windows do not.
ALTER TABLE "silences" ADD COLUMN "send_first_recovery" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "maintenance_windows" ADD COLUMN "send_first_recovery" BOOLEAN NOT NULL DEFAULT false;
