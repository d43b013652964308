// npm run bench:sync — one directory sync of 10 000 app users against OpenLDAP (loaded by
// e2e/directories/directory-admin.ts loadBulkUsers), next to the floor measured in the same run:
// one paged ldapts search reading the same 10 000 entries. Prints users checked per second and
// LDAP requests per 1 000 users, for the Group Membership Filter strategy and for memberOf.
// Start the directories first (e2e/directories/start-all.sh). See bench/README.md.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "ldapts";
import { loadBulkUsers } from "../e2e/directories/directory-admin";
import { caCertificate, directoryEnv } from "../e2e/directories/env";
import type { LdapConfigData } from "../lib/db/ldap-configs";

const USERS = Number(process.env.BENCH_SYNC_USERS ?? 10_000);
const ldap = directoryEnv("openldap");
const CONTAINER = `ou=SyncBench,ou=MyOrg,${ldap.baseDn}`;
const GROUP = `cn=sync_bench_users,ou=Groups,ou=MyOrg,${ldap.baseDn}`;

/** The floor: the same entries read by one paged search, as raw ldapts. */
async function rawFloor(): Promise<{ ms: number; entries: number }> {
  const client = new Client({ url: ldap.urls.ldaps, tlsOptions: { ca: [caCertificate(ldap)] }, timeout: 60_000 });
  try {
    await client.bind(ldap.serviceAccount.dn, ldap.serviceAccount.password);
    const started = performance.now();
    const { searchEntries } = await client.search(CONTAINER, {
      scope: "one",
      filter: "(objectClass=inetOrgPerson)",
      attributes: ["mail", "cn", "displayName", "entryUUID", "memberOf"],
      paged: { pageSize: 500 },
    });
    return { ms: performance.now() - started, entries: searchEntries.length };
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

async function main() {
  const loadStarted = performance.now();
  const dns = await loadBulkUsers(USERS, { groupDn: GROUP });
  console.log(
    `bench:sync — ${dns.length} OpenLDAP users under ${CONTAINER} (ensured in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s)\n`,
  );

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-bench-sync-"));
  Object.assign(process.env, { DATA_DIR: dataDir, DATABASE_URL: `file:${dataDir}/portal.db` });
  const { migrateDeploy } = await import("../lib/db/migrate/index.mjs");
  await migrateDeploy({ databaseUrl: process.env.DATABASE_URL });
  const { ensureSystemGroups } = await import("../lib/db/groups");
  await ensureSystemGroups();
  const { db } = await import("../lib/db/client");
  const { createLdapConfig, updateLdapConfig } = await import("../lib/db/ldap-configs");
  const { normalizeDn } = await import("../lib/ldap/dn");
  const { syncConfiguration } = await import("../lib/directory-sync/run");
  const { closeAllPools } = await import("../lib/ldap/index");

  const base: LdapConfigData = {
    name: "Bench sync",
    url: ldap.urls.ldaps,
    caCertificate: caCertificate(ldap),
    searchBase: ldap.baseDn,
    searchFilter: "(&(objectClass=inetOrgPerson)(uid={0}))",
    groupMembershipFilter: "(&(objectClass=groupOfNames)(member={0}))",
    serviceAccountDn: ldap.serviceAccount.dn,
    requiredGroupDn: GROUP,
  };
  const config = await createLdapConfig(base, ldap.serviceAccount.password);
  const normalized = normalizeDn(GROUP);
  const group = await db().group.create({
    data: {
      name: "Sync bench users",
      priority: 900,
      ldapMappings: {
        create: [{ ldapConfigId: config.id, dn: GROUP, dnNormalized: normalized.ok ? normalized.value : GROUP }],
      },
    },
  });

  // The app users, as their first sign-ins would have left them (ids read once, not measured).
  const client = new Client({ url: ldap.urls.ldaps, tlsOptions: { ca: [caCertificate(ldap)] }, timeout: 60_000 });
  await client.bind(ldap.serviceAccount.dn, ldap.serviceAccount.password);
  const { searchEntries } = await client.search(CONTAINER, {
    scope: "one",
    filter: "(objectClass=inetOrgPerson)",
    attributes: ["uid", "mail", "cn", "displayName", "entryUUID"],
    paged: { pageSize: 500 },
  });
  await client.unbind();
  const first = (value: unknown) => (Array.isArray(value) ? value[0] : value) as string | undefined;
  const rows = searchEntries.map((entry) => ({
    id: `bench-${entry.entryUUID}`,
    username: `${entry.uid}@kasm.core`,
    email: first(entry.mail) || null,
    displayName: first(entry.displayName) || first(entry.cn) || null,
    source: "ldap",
    ldapConfigId: config.id,
    directoryId: String(entry.entryUUID),
    lastDn: entry.dn,
  }));
  for (let i = 0; i < rows.length; i += 1000) {
    await db().user.createMany({ data: rows.slice(i, i + 1000) });
    await db().groupMembership.createMany({
      data: rows.slice(i, i + 1000).map((row) => ({ userId: row.id, groupId: group.id, origin: "ldap" })),
    });
  }
  await updateLdapConfig(config.id, { maxDisableSharePercent: 10 }, undefined);

  const floor = await rawFloor();
  console.log(
    `floor: one paged ldapts search of the ${floor.entries} entries: ${(floor.ms / 1000).toFixed(2)} s (${Math.round((floor.entries / floor.ms) * 1000)} entries/s)\n`,
  );
  console.log(
    "| groups read by | users checked | seconds | users/s | LDAP requests per 1 000 users | × floor time | outcome |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const [label, groupMembershipFilter] of [
    ["Group Membership Filter (member={0})", base.groupMembershipFilter!],
    ["memberOf (no filter)", ""],
  ] as const) {
    await updateLdapConfig(config.id, { groupMembershipFilter }, undefined);
    const started = performance.now();
    const result = await syncConfiguration(config.id, { trigger: "cli", actor: "bench" });
    const ms = performance.now() - started;
    const checked = result.plan?.usersChecked ?? 0;
    if (process.env.BENCH_SYNC_DEBUG) console.log(JSON.stringify((result.plan?.changes ?? []).slice(0, 2)));
    console.log(
      `| ${label} | ${checked} | ${(ms / 1000).toFixed(2)} | ${Math.round((checked / ms) * 1000)} | ${(((result.ldapRequests ?? 0) / Math.max(1, checked)) * 1000).toFixed(0)} | ${(ms / floor.ms).toFixed(1)} | ${result.outcome}${result.reason ? `: ${result.reason}` : ""}${result.plan?.changes.length ? ` (${result.plan.changes.length} changes)` : ""} |`,
    );
  }
  console.log(`\nTarget: ${USERS} users in under 60 s with batched look-ups.`);

  await closeAllPools();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench:sync failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
