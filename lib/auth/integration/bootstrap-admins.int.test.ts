import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDeploy } from "../../db/migrate/index.mjs";

// lib/env.ts reads the environment once: point it at a fresh database before any lib import.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-admins-"));
process.env.DATA_DIR = dir;
process.env.DATABASE_URL = `file:${path.join(dir, "portal.db")}`;
process.env.ADMIN_USERNAME = "admin@portal.local";
process.env.ADMIN_PASSWORD = "Bootstrap-Password-1";

let lib: {
  bootstrap: typeof import("../bootstrap").bootstrap;
  db: typeof import("../../db/client").db;
  users: typeof import("../../db/users");
  adminGroupId: string;
};

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  await migrateDeploy({ databaseUrl: process.env.DATABASE_URL });
  const [{ bootstrap }, { db }, users, groups] = await Promise.all([
    import("../bootstrap"),
    import("../../db/client"),
    import("../../db/users"),
    import("../../db/groups"),
  ]);
  await bootstrap();
  lib = { bootstrap, db, users, adminGroupId: await groups.systemGroupId("administrators") };
});

async function usernames() {
  return (await lib.db().user.findMany({ orderBy: { username: "asc" }, select: { username: true } })).map(
    (user) => user.username,
  );
}

async function makeAdministrator(username: string) {
  const user = await lib.users.createLocalUser({ username, passwordHash: "x" });
  await lib.users.addManualMembership(user.id, lib.adminGroupId);
  return user;
}

describe("bootstrap administrator", () => {
  it("is created on a database without administrators, with a manual Administrators membership, once", async () => {
    await lib.bootstrap();
    expect(await usernames()).toEqual(["admin@portal.local"]);
    const admin = await lib.users.findUserByUsername("admin@portal.local");
    expect((await lib.users.sessionClaims(admin!.id)).role).toBe("admin");
  });

  it("is not created again after it was renamed while another administrator exists", async () => {
    await makeAdministrator("second@portal.local");
    await lib.db().user.update({ where: { username: "admin@portal.local" }, data: { username: "root@portal.local" } });
    await lib.bootstrap();
    expect(await usernames()).toEqual(["root@portal.local", "second@portal.local"]);
  });

  it("is not created again after it was deleted", async () => {
    await lib.db().user.delete({ where: { username: "root@portal.local" } });
    await lib.bootstrap();
    expect(await usernames()).toEqual(["second@portal.local"]);
  });

  it("counts a disabled administrator and an LDAP-origin membership as an administrator", async () => {
    const second = (await lib.users.findUserByUsername("second@portal.local"))!;
    await lib.db().user.update({ where: { id: second.id }, data: { disabled: true } });
    await lib.db().groupMembership.deleteMany({ where: { userId: second.id } });
    await lib.db().groupMembership.create({ data: { userId: second.id, groupId: lib.adminGroupId, origin: "ldap" } });
    await lib.bootstrap();
    expect(await usernames()).toEqual(["second@portal.local"]);
  });

  it("is created again only once no administrator is left at all", async () => {
    await lib.db().groupMembership.deleteMany({ where: { groupId: lib.adminGroupId } });
    await lib.bootstrap();
    expect(await usernames()).toEqual(["admin@portal.local", "second@portal.local"]);
  });

  it("never promotes an existing non-administrator that holds the configured name", async () => {
    await lib.db().groupMembership.deleteMany({ where: { groupId: lib.adminGroupId } });
    await lib.bootstrap();
    expect(await lib.db().groupMembership.count({ where: { groupId: lib.adminGroupId } })).toBe(0);
    expect(await usernames()).toEqual(["admin@portal.local", "second@portal.local"]);
  });
});

describe("bootstrap across real restarts", () => {
  // Each start is a new Node process on the same database file, as `npm start` runs it.
  function start(databaseFile: string) {
    execFileSync(
      process.execPath,
      [
        "node_modules/tsx/dist/cli.mjs",
        "--conditions=react-server",
        "-e",
        'import("./lib/auth/bootstrap.ts").then((m) => m.bootstrap())',
      ],
      {
        cwd: path.resolve(import.meta.dirname, "../../.."),
        env: {
          ...process.env,
          DATA_DIR: path.dirname(databaseFile),
          DATABASE_URL: `file:${databaseFile}`,
          ADMIN_USERNAME: "admin@portal.local",
          ADMIN_PASSWORD: "Bootstrap-Password-1",
        },
        stdio: "pipe",
      },
    );
  }

  it("keeps a deleted or renamed bootstrap administrator gone", async () => {
    const restartDir = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-restart-"));
    const file = path.join(restartDir, "portal.db");
    await migrateDeploy({ databaseUrl: `file:${file}` });
    const read = (sql: string) => {
      const database = new Database(file, { readonly: true });
      try {
        return database.prepare(sql).all();
      } finally {
        database.close();
      }
    };
    const write = (sql: string) => {
      const database = new Database(file);
      try {
        database.exec(sql);
      } finally {
        database.close();
      }
    };

    start(file);
    expect(read("SELECT username FROM User")).toEqual([{ username: "admin@portal.local" }]);

    // Another administrator, then the bootstrap one renamed: the next start creates nobody.
    write(`INSERT INTO User (id, username, source, disabled, createdAt) VALUES ('other', 'other@portal.local', 'local', 0, 0);
      INSERT INTO GroupMembership (userId, groupId, origin, createdAt) SELECT 'other', id, 'manual', 0 FROM "Group" WHERE systemKey = 'administrators';
      UPDATE User SET username = 'renamed@portal.local' WHERE username = 'admin@portal.local';`);
    start(file);
    expect(read("SELECT username FROM User ORDER BY username")).toEqual([
      { username: "other@portal.local" },
      { username: "renamed@portal.local" },
    ]);

    write(`DELETE FROM User WHERE username = 'renamed@portal.local'`);
    start(file);
    expect(read("SELECT username FROM User ORDER BY username")).toEqual([{ username: "other@portal.local" }]);
    fs.rmSync(restartDir, { recursive: true, force: true });
  }, 60_000);
});
