import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { directoryEnv } from "@/e2e/directories/env";

/** `npm run ldap:test` as an operator runs it: a JSON file, a login, the password in a variable. */
function ldapTest(file: Record<string, unknown>, login: string, password?: string, flags: string[] = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ldap-test-cli-"));
  const configFile = path.join(dir, "config.json");
  fs.writeFileSync(configFile, JSON.stringify(file));
  const args = [
    "tsx",
    "--conditions=react-server",
    "scripts/ldap-test.ts",
    "--config",
    configFile,
    "--user",
    login,
    ...flags,
  ];
  const run = spawnSync("npx", password === undefined ? args : [...args, "--password-env", "CLI_TEST_PASSWORD"], {
    encoding: "utf8",
    env: { ...process.env, CLI_TEST_PASSWORD: password },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function openldapFile() {
  const env = directoryEnv("openldap");
  return {
    env,
    file: {
      url: "ldap://127.0.0.1:1",
      failoverUrls: [env.urls.ldaps],
      caCertificate: fs.readFileSync(env.caFile, "utf8"),
      searchBase: env.baseDn,
      searchFilter: "(&(objectClass=inetOrgPerson)(uid={0}))",
      groupMembershipFilter: "(&(objectClass=groupOfNames)(member={0}))",
      serviceAccountDn: env.serviceAccount.dn,
      serviceAccountPassword: env.serviceAccount.password,
      requiredGroupDn: env.groups.all_kasm_app_users,
    },
  };
}

describe("npm run ldap:test", () => {
  it("signs test_user_1 in through the failover URL and lists their groups (exit 0)", () => {
    const { env, file } = openldapFile();
    const user = env.users.test_user_1!;
    const run = ldapTest(file, "test_user_1@kasm.core", user.password, ["--json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { ok: boolean; user: { dn: string }; groups: string[] };
    expect(report.ok).toBe(true);
    expect(report.user.dn.toLowerCase()).toBe(user.dn.toLowerCase());
    expect(report.groups.map((dn) => dn.toLowerCase())).toContain(env.groups.kasm_group_1!.toLowerCase());
  }, 60_000);

  it("prints the trace and the error of a wrong password (exit 1)", () => {
    const { file } = openldapFile();
    const run = ldapTest(file, "test_user_1@kasm.core", "not-the-password");
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/✗ user_bind/);
    expect(run.stdout).toMatch(/FAILED: invalid_credentials/);
  }, 60_000);

  it("refuses a file with an unknown key or a bad value, naming the field (exit 2)", () => {
    const { file } = openldapFile();
    const typo = ldapTest({ ...file, serchBase: "dc=kasm,dc=core" }, "test_user_1@kasm.core");
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/Unrecognized key: "serchBase"/);
    const badTimeout = ldapTest({ ...file, connectTimeoutMs: 5 }, "test_user_1@kasm.core");
    expect(badTimeout.status).toBe(2);
    expect(badTimeout.stderr).toMatch(/connectTimeoutMs: Connect Timeout must be at least 100 ms/);
  }, 60_000);
});
