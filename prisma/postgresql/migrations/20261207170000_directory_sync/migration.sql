-- Directory sync: per-configuration settings, why the directory took a user's access away, the
-- runs, and the lease that lets one instance run a configuration's sync at a time.
-- Columns are added in place (no table rebuild): a rebuilt LdapConfig would lose its
-- settings_version triggers.

-- AlterTable
ALTER TABLE "LdapConfig" ADD COLUMN     "maxDisableSharePercent" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "sessionRevalidationMinutes" INTEGER NOT NULL DEFAULT 5,
ADD COLUMN     "syncIntervalMinutes" INTEGER NOT NULL DEFAULT 15;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "directoryRefusal" TEXT,
ADD COLUMN     "directoryRefusalAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" TEXT NOT NULL,
    "ldapConfigId" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "outcome" TEXT NOT NULL DEFAULT 'running',
    "reason" TEXT,
    "usersChecked" INTEGER NOT NULL DEFAULT 0,
    "disabled" INTEGER NOT NULL DEFAULT 0,
    "reenabled" INTEGER NOT NULL DEFAULT 0,
    "membershipChanges" INTEGER NOT NULL DEFAULT 0,
    "plan" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "SyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncLease" (
    "ldapConfigId" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncLease_pkey" PRIMARY KEY ("ldapConfigId")
);

-- CreateIndex
CREATE INDEX "SyncRun_ldapConfigId_startedAt_idx" ON "SyncRun"("ldapConfigId", "startedAt");

-- AddForeignKey
ALTER TABLE "SyncRun" ADD CONSTRAINT "SyncRun_ldapConfigId_fkey" FOREIGN KEY ("ldapConfigId") REFERENCES "LdapConfig"("id") ON DELETE CASCADE ON UPDATE CASCADE;

