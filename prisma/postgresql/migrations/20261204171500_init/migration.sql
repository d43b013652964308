-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "email" TEXT,
    "displayName" TEXT,
    "source" TEXT NOT NULL DEFAULT 'local',
    "ldapConfigId" TEXT,
    "directoryId" TEXT,
    "lastDn" TEXT,
    "passwordHash" TEXT,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastLoginAt" TIMESTAMP(3),

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Group" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "priority" INTEGER NOT NULL,
    "systemKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Group_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupSetting" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "GroupSetting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupMembership" (
    "userId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GroupMembership_pkey" PRIMARY KEY ("userId","groupId","origin")
);

-- CreateTable
CREATE TABLE "GroupLdapMapping" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "ldapConfigId" TEXT NOT NULL,
    "dn" TEXT NOT NULL,
    "dnNormalized" TEXT NOT NULL,

    CONSTRAINT "GroupLdapMapping_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LdapConfig" (
    "id" TEXT NOT NULL,
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
    "lastTestAt" TIMESTAMP(3),
    "lastTestOk" BOOLEAN,
    "lastTestSummary" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LdapConfig_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "outcome" TEXT NOT NULL,
    "details" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "inFlight" INTEGER NOT NULL DEFAULT 0,
    "windowStart" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),

    CONSTRAINT "LoginThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AuditAllowance" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "summaryEventId" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AuditAllowance_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE UNIQUE INDEX "User_ldapConfigId_directoryId_key" ON "User"("ldapConfigId", "directoryId");

-- CreateIndex
CREATE UNIQUE INDEX "Group_name_key" ON "Group"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Group_priority_key" ON "Group"("priority");

-- CreateIndex
CREATE UNIQUE INDEX "Group_systemKey_key" ON "Group"("systemKey");

-- CreateIndex
CREATE UNIQUE INDEX "GroupSetting_groupId_key_key" ON "GroupSetting"("groupId", "key");

-- CreateIndex
CREATE INDEX "GroupMembership_groupId_idx" ON "GroupMembership"("groupId");

-- CreateIndex
CREATE INDEX "GroupLdapMapping_ldapConfigId_dnNormalized_idx" ON "GroupLdapMapping"("ldapConfigId", "dnNormalized");

-- CreateIndex
CREATE UNIQUE INDEX "GroupLdapMapping_groupId_ldapConfigId_dnNormalized_key" ON "GroupLdapMapping"("groupId", "ldapConfigId", "dnNormalized");

-- CreateIndex
CREATE UNIQUE INDEX "LdapConfig_name_key" ON "LdapConfig"("name");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "AuditEvent_action_idx" ON "AuditEvent"("action");

-- CreateIndex
CREATE INDEX "LoginThrottle_windowStart_idx" ON "LoginThrottle"("windowStart");

-- CreateIndex
CREATE INDEX "AuditAllowance_expiresAt_idx" ON "AuditAllowance"("expiresAt");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_ldapConfigId_fkey" FOREIGN KEY ("ldapConfigId") REFERENCES "LdapConfig"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupSetting" ADD CONSTRAINT "GroupSetting_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupMembership" ADD CONSTRAINT "GroupMembership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupMembership" ADD CONSTRAINT "GroupMembership_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupLdapMapping" ADD CONSTRAINT "GroupLdapMapping_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupLdapMapping" ADD CONSTRAINT "GroupLdapMapping_ldapConfigId_fkey" FOREIGN KEY ("ldapConfigId") REFERENCES "LdapConfig"("id") ON DELETE CASCADE ON UPDATE CASCADE;

