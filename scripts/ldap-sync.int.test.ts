import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureSyncFixtures, setAccountDisabled, type SyncFixtures } from "@/e2e/directories/directory-admin";
import { freshPortal, storeConfig } from "@/lib/auth/integration/harness";
import { openldapConfig } from "@/lib/ldap/integration/directory-configs";

/** `npm run ldap:sync` as an operator runs it, on the portal's database, against OpenLDAP. */
const PREFIX = "synccli";
const NAME = "OpenLDAP (sync CLI)";
let fixtures: SyncFixtures;
let updateLdapConfig: typeof import("@/lib/db/ldap-configs").updateLdapConfig;
let db: typeof import("@/lib/db/client").db;

function ldapSync(...flags: string[]) {
  const run = spawnSync("npx", ["tsx", "--conditions=react-server", "scripts/ldap-sync.ts", ...flags], {
    encoding: "utf8",
    env: { ...process.env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(async () => {
  await freshPortal("ldap-sync-cli");
  fixtures = await ensureSyncFixtures("openldap", PREFIX);
  const configId = await storeConfig(
    NAME,
    openldapConfig("groupOfNames", {
      searchFilter: "(&(objectClass=inetOrgPerson)(uid={0}))",
      requiredGroupDn: fixtures.group,
    }),
    { alternateDomains: "cli.sync" },
  );
  ({ updateLdapConfig } = await import("@/lib/db/ldap-configs"));
  ({ db } = await import("@/lib/db/client"));
  await updateLdapConfig(configId, { maxDisableSharePercent: 50 }, undefined);
  const { signInWithPassword } = await import("@/lib/auth/login");
  for (const n of [1, 2, 3]) {
    const result = await signInWithPassword({
      username: `${PREFIX}_user_${n}@cli.sync`,
      password: fixtures.users[`${PREFIX}_user_${n}`]!.password,
      clientAddress: "192.0.2.41",
    });
    expect(result.ok).toBe(true);
  }
}, 120_000);

describe("npm run ldap:sync", () => {
  it("previews, then applies, a user disabled in the directory (exit 0), printing the counts", async () => {
    await setAccountDisabled("openldap", fixtures.users[`${PREFIX}_user_1`]!.dn, true);
    try {
      const preview = ldapSync("--config", NAME, "--dry-run", "--json");
      expect(preview.status, preview.stderr).toBe(0);
      const planned = JSON.parse(preview.stdout) as Record<string, unknown>;
      expect(planned).toMatchObject({ outcome: "preview", usersChecked: 3, disabled: 1, reenabled: 0 });
      expect(planned.changes).toEqual([
        expect.objectContaining({ username: `${PREFIX}_user_1@cli.sync`, text: "disable: Disabled in the directory" }),
      ]);
      expect(
        (await db().user.findUniqueOrThrow({ where: { username: `${PREFIX}_user_1@cli.sync` } })).directoryRefusal,
      ).toBeNull();

      const applied = ldapSync("--config", NAME);
      expect(applied.status, applied.stderr).toBe(0);
      expect(applied.stdout).toContain("Checked 3 users: 1 disabled, 0 re-enabled, 0 membership changes (applied)");
      expect(applied.stdout).toContain(`${PREFIX}_user_1@cli.sync: disable: Disabled in the directory`);
      expect(
        (await db().user.findUniqueOrThrow({ where: { username: `${PREFIX}_user_1@cli.sync` } })).directoryRefusal,
      ).toBe("disabled");
    } finally {
      fixtures = await ensureSyncFixtures("openldap", PREFIX);
    }
    const back = ldapSync("--config", NAME, "--json");
    expect(JSON.parse(back.stdout)).toMatchObject({ outcome: "applied", reenabled: 1 });
  });

  it("exits 1 when the run is held, saying why", async () => {
    await updateLdapConfig(
      (await db().ldapConfig.findUniqueOrThrow({ where: { name: NAME } })).id,
      { maxDisableSharePercent: 0 },
      undefined,
    );
    await setAccountDisabled("openldap", fixtures.users[`${PREFIX}_user_2`]!.dn, true);
    try {
      const held = ldapSync("--config", NAME);
      expect(held.status).toBe(1);
      expect(held.stdout).toContain("held — would disable 1 of 3 users (33 %), more than the Max Disable Share of 0 %");
    } finally {
      fixtures = await ensureSyncFixtures("openldap", PREFIX);
    }
  });

  it("exits 2 for an unknown configuration or a bad flag", () => {
    const unknown = ldapSync("--config", "No such configuration");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('no LDAP configuration is named "No such configuration"');
    expect(ldapSync("--frobnicate").status).toBe(2);
  });
});
