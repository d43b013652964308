-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_LdapConfig" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "searchBase" TEXT NOT NULL,
    "searchFilter" TEXT NOT NULL,
    "groupMembershipFilter" TEXT NOT NULL DEFAULT '',
    "emailAttribute" TEXT NOT NULL DEFAULT 'mail',
    "serviceAccountDn" TEXT NOT NULL DEFAULT '',
    "serviceAccountPasswordEncrypted" TEXT,
    "searchSubtree" BOOLEAN NOT NULL DEFAULT true,
    "autoCreateAppUser" BOOLEAN NOT NULL DEFAULT true,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "alternateDomains" TEXT NOT NULL DEFAULT '',
    "failoverUrls" TEXT NOT NULL DEFAULT '',
    "startTls" BOOLEAN NOT NULL DEFAULT false,
    "verifyCertificate" BOOLEAN NOT NULL DEFAULT true,
    "caCertificate" TEXT,
    "connectTimeoutMs" INTEGER NOT NULL DEFAULT 5000,
    "operationTimeoutMs" INTEGER NOT NULL DEFAULT 10000,
    "nestedGroups" BOOLEAN NOT NULL DEFAULT true,
    "nestedGroupsCacheSeconds" INTEGER NOT NULL DEFAULT 60,
    "requiredGroupDn" TEXT NOT NULL DEFAULT '',
    "displayOrder" INTEGER NOT NULL DEFAULT 0,
    "lastTestAt" DATETIME,
    "lastTestOk" BOOLEAN,
    "lastTestSummary" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_LdapConfig" ("alternateDomains", "autoCreateAppUser", "caCertificate", "connectTimeoutMs", "createdAt", "displayOrder", "emailAttribute", "enabled", "failoverUrls", "groupMembershipFilter", "id", "lastTestAt", "lastTestOk", "lastTestSummary", "name", "nestedGroups", "operationTimeoutMs", "requiredGroupDn", "searchBase", "searchFilter", "searchSubtree", "serviceAccountDn", "serviceAccountPasswordEncrypted", "startTls", "updatedAt", "url", "verifyCertificate") SELECT "alternateDomains", "autoCreateAppUser", "caCertificate", "connectTimeoutMs", "createdAt", "displayOrder", "emailAttribute", "enabled", "failoverUrls", "groupMembershipFilter", "id", "lastTestAt", "lastTestOk", "lastTestSummary", "name", "nestedGroups", "operationTimeoutMs", "requiredGroupDn", "searchBase", "searchFilter", "searchSubtree", "serviceAccountDn", "serviceAccountPasswordEncrypted", "startTls", "updatedAt", "url", "verifyCertificate" FROM "LdapConfig";
DROP TABLE "LdapConfig";
ALTER TABLE "new_LdapConfig" RENAME TO "LdapConfig";
CREATE UNIQUE INDEX "LdapConfig_name_key" ON "LdapConfig"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
