-- Group mappings now name the LDAP configuration they apply to. An existing mapping is assigned to
-- every configuration whose Search Base naming context (its DC= suffix, or the whole base when it
-- has none) holds the DN, so nobody gains access; a mapping no configuration holds is dropped.
-- Each assignment and each drop is written to the audit log.
-- CreateTable
CREATE TABLE "AuditAllowance" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "count" INTEGER NOT NULL DEFAULT 0,
    "summaryEventId" TEXT,
    "expiresAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_GroupLdapMapping" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "groupId" TEXT NOT NULL,
    "ldapConfigId" TEXT NOT NULL,
    "dn" TEXT NOT NULL,
    "dnNormalized" TEXT NOT NULL,
    CONSTRAINT "GroupLdapMapping_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "GroupLdapMapping_ldapConfigId_fkey" FOREIGN KEY ("ldapConfigId") REFERENCES "LdapConfig" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE TEMP TABLE "naming_context" AS
  SELECT "id" AS "configId", "name" AS "configName",
         substr(lower(replace("searchBase", ', ', ',')), max(1, instr(lower(replace("searchBase", ', ', ',')), 'dc='))) AS "suffix"
  FROM "LdapConfig";
CREATE TEMP TABLE "assignment" AS
  SELECT m."id" AS "mappingId", m."groupId", m."dn", m."dnNormalized", n."configId", n."configName"
  FROM "GroupLdapMapping" m JOIN "naming_context" n
    ON n."suffix" <> ''
   AND substr(m."dnNormalized", -length(n."suffix")) = n."suffix"
   AND (length(m."dnNormalized") = length(n."suffix") OR substr(m."dnNormalized", -length(n."suffix") - 1, 1) = ',');
INSERT INTO "new_GroupLdapMapping" ("id", "groupId", "ldapConfigId", "dn", "dnNormalized")
  SELECT lower(hex(randomblob(12))), "groupId", "configId", "dn", "dnNormalized" FROM "assignment";
INSERT INTO "AuditEvent" ("id", "at", "actor", "action", "target", "outcome", "details")
  SELECT lower(hex(randomblob(12))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'system', 'group.mapping_assigned', g."name", 'success',
         json_object('dn', a."dn", 'configuration', a."configName", 'reason', 'migration: the configuration''s naming context holds the DN')
  FROM "assignment" a JOIN "Group" g ON g."id" = a."groupId";
INSERT INTO "AuditEvent" ("id", "at", "actor", "action", "target", "outcome", "details")
  SELECT lower(hex(randomblob(12))), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'system', 'group.mapping_dropped', g."name", 'failure',
         json_object('dn', m."dn", 'reason', 'migration: no LDAP configuration''s naming context holds the DN; add it again with its configuration')
  FROM "GroupLdapMapping" m JOIN "Group" g ON g."id" = m."groupId"
  WHERE m."id" NOT IN (SELECT "mappingId" FROM "assignment");
DROP TABLE "assignment";
DROP TABLE "naming_context";
DROP TABLE "GroupLdapMapping";
ALTER TABLE "new_GroupLdapMapping" RENAME TO "GroupLdapMapping";
CREATE INDEX "GroupLdapMapping_ldapConfigId_dnNormalized_idx" ON "GroupLdapMapping"("ldapConfigId", "dnNormalized");
CREATE UNIQUE INDEX "GroupLdapMapping_groupId_ldapConfigId_dnNormalized_key" ON "GroupLdapMapping"("groupId", "ldapConfigId", "dnNormalized");
CREATE TABLE "new_LoginThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "inFlight" INTEGER NOT NULL DEFAULT 0,
    "windowStart" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" DATETIME
);
INSERT INTO "new_LoginThrottle" ("failures", "key", "lockedUntil", "windowStart") SELECT "failures", "key", "lockedUntil", "windowStart" FROM "LoginThrottle";
DROP TABLE "LoginThrottle";
ALTER TABLE "new_LoginThrottle" RENAME TO "LoginThrottle";
CREATE INDEX "LoginThrottle_windowStart_idx" ON "LoginThrottle"("windowStart");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "AuditAllowance_expiresAt_idx" ON "AuditAllowance"("expiresAt");
