-- Directory sync: per-configuration settings, why the directory took a user's access away, the
-- runs, and the lease that lets one instance run a configuration's sync at a time.
-- Columns are added in place (no table rebuild): a rebuilt LdapConfig would lose its
-- settings_version triggers.
-- AlterTable
ALTER TABLE "User" ADD COLUMN "directoryRefusal" TEXT;
ALTER TABLE "User" ADD COLUMN "directoryRefusalAt" DATETIME;

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ldapConfigId" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "outcome" TEXT NOT NULL DEFAULT 'running',
    "reason" TEXT,
    "usersChecked" INTEGER NOT NULL DEFAULT 0,
    "disabled" INTEGER NOT NULL DEFAULT 0,
    "reenabled" INTEGER NOT NULL DEFAULT 0,
    "membershipChanges" INTEGER NOT NULL DEFAULT 0,
    "plan" TEXT NOT NULL DEFAULT '[]',
    CONSTRAINT "SyncRun_ldapConfigId_fkey" FOREIGN KEY ("ldapConfigId") REFERENCES "LdapConfig" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SyncLease" (
    "ldapConfigId" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- AlterTable
ALTER TABLE "LdapConfig" ADD COLUMN "syncIntervalMinutes" INTEGER NOT NULL DEFAULT 15;
ALTER TABLE "LdapConfig" ADD COLUMN "maxDisableSharePercent" INTEGER NOT NULL DEFAULT 10;
ALTER TABLE "LdapConfig" ADD COLUMN "sessionRevalidationMinutes" INTEGER NOT NULL DEFAULT 5;

-- CreateIndex
CREATE INDEX "SyncRun_ldapConfigId_startedAt_idx" ON "SyncRun"("ldapConfigId", "startedAt");
