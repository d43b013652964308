/**
 * Changes the test directories the way their administrator would, for tests of directory sync
 * (a user disabled, removed from a group, renamed or moved, enabled again) and for a benchmark
 * that needs many users. Every function connects as env.admin over LDAPS with the test CA (Samba
 * only changes passwords over an encrypted connection) and closes the connection, also on errors.
 *
 * Only the sync fixtures (sync_user_1..3, sync_group) and the bulk users are meant to be changed:
 * other tests use test_user_* and the existing groups at the same time.
 */
import crypto from "node:crypto";
import { AlreadyExistsError, Attribute, Change, Client, EqualityFilter, NoSuchObjectError, type Entry } from "ldapts";
import { caCertificate, directoryEnv, type DirectoryEnv } from "./env";

export type DirectoryName = DirectoryEnv["name"];

export const SYNC_PASSWORD = "Test-Password-123";
/** The default fixtures: sync_user_1..3 and sync_group. */
const SYNC_PREFIX = "sync";
export const SYNC_USERS = ["sync_user_1", "sync_user_2", "sync_user_3"] as const;
export const SYNC_GROUP = "sync_group";

/** AD userAccountControl: ACCOUNTDISABLE, and NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD (as the other test users). */
const UAC_DISABLED = 0x2;
const UAC_NORMAL = 0x10200;
/** OpenLDAP ppolicy: this special value locks the account until an administrator removes it. */
const PERMANENT_LOCK = "000001010000Z";

function newClient(env: DirectoryEnv, timeout = 10_000): Client {
  return new Client({
    url: env.urls.ldaps,
    tlsOptions: { ca: [caCertificate(env)] },
    timeout,
    connectTimeout: 5_000,
    // DNs as the servers spell them (Samba's upper case, escaped RDNs) are passed through as they are.
    strictDN: false,
  });
}

/** Runs `run` with a client bound as the directory's administrator; always unbinds. */
export async function withAdmin<T>(
  name: DirectoryName,
  run: (client: Client, env: DirectoryEnv) => Promise<T>,
  timeout?: number,
): Promise<T> {
  const env = directoryEnv(name);
  const client = newClient(env, timeout);
  try {
    await client.bind(env.admin.dn, env.admin.password);
    return await run(client, env);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** The entry at `dn` (base search), or undefined when there is none. */
async function readEntry(client: Client, dn: string, attributes: string[]): Promise<Entry | undefined> {
  try {
    const { searchEntries } = await client.search(dn, { scope: "base", attributes });
    return searchEntries[0];
  } catch (error) {
    if (error instanceof NoSuchObjectError) return undefined;
    throw error;
  }
}

const replace = (type: string, values: string[] | Buffer[]) =>
  new Change({ operation: "replace", modification: new Attribute({ type, values }) });

/** Samba's unicodePwd: the password in double quotes, UTF-16LE. */
const unicodePwd = (password: string) => Buffer.from(`"${password}"`, "utf16le");

/** {SSHA} hash for OpenLDAP, which would store a clear-text userPassword as it is. */
function ssha(password: string): string {
  const salt = crypto.randomBytes(8);
  const digest = crypto.createHash("sha1").update(password).update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString("base64")}`;
}

/** The parent of a DN: everything after the first comma that is not escaped. */
function parentOf(dn: string): string {
  const match = /(?<!\\),/.exec(dn);
  if (!match) throw new Error(`DN without a parent: ${dn}`);
  return dn.slice(match.index + 1).trim();
}

/** Enough for the fixtures' plain DNs: servers return them in their own case and spacing. */
const sameDn = (a: string, b: string) =>
  a.replace(/,\s+/g, ",").toLowerCase() === b.replace(/,\s+/g, ",").toLowerCase();

/** The change that disables or enables an account, in each directory's own way. */
async function disableChanges(client: Client, env: DirectoryEnv, userDn: string, disabled: boolean): Promise<Change[]> {
  switch (env.name) {
    case "samba": {
      // AD keeps the state in a bit field: change bit 0x2 only, keep the others.
      const entry = await readEntry(client, userDn, ["userAccountControl"]);
      if (!entry) throw new Error(`no such user: ${userDn}`);
      const uac = Number(entry.userAccountControl);
      const next = disabled ? uac | UAC_DISABLED : uac & ~UAC_DISABLED;
      return next === uac ? [] : [replace("userAccountControl", [String(next)])];
    }
    case "dirsrv":
      // Account inactivation; a replace with no values removes it and is no error when absent.
      return [replace("nsAccountLock", disabled ? ["TRUE"] : [])];
    case "openldap":
      // slapd 2.5 defines pwdAccountLockedTime without NO-USER-MODIFICATION: the rootdn replaces or
      // removes it with a plain modify, no relax control (verified). The lock counts only under a
      // password policy, and slapd has no default one: name the test policy too (also a plain modify).
      // Under that policy an administrator's password change also removes the lock (ppolicy).
      return disabled
        ? [
            replace("pwdPolicySubentry", [`cn=lockout,ou=Policies,${env.baseDn}`]),
            replace("pwdAccountLockedTime", [PERMANENT_LOCK]),
          ]
        : [replace("pwdAccountLockedTime", [])];
  }
}

/** Disables (true) or enables (false) a user account: a bind with the right password then fails / works. */
export async function setAccountDisabled(name: DirectoryName, userDn: string, disabled: boolean): Promise<void> {
  await withAdmin(name, async (client, env) => {
    const changes = await disableChanges(client, env, userDn, disabled);
    if (changes.length > 0) await client.modify(userDn, changes);
  });
}

/** Adds the user DN to (true) or removes it from (false) the group's `member`; nothing to do is no error. */
export async function setGroupMember(name: DirectoryName, groupDn: string, userDn: string, member: boolean) {
  await withAdmin(name, async (client) => {
    // Ask the server whether it is a member: it compares DNs normalized (case, escapes), and the
    // result codes for "already there" / "not there" are not the same on every server.
    const { searchEntries } = await client.search(groupDn, {
      scope: "base",
      filter: new EqualityFilter({ attribute: "member", value: userDn }),
      attributes: ["1.1"],
    });
    if (searchEntries.length > 0 === member) return;
    await client.modify(
      groupDn,
      new Change({
        operation: member ? "add" : "delete",
        modification: new Attribute({ type: "member", values: [userDn] }),
      }),
    );
  });
}

/** Renames (newRdn) and/or moves (newParentDn) an entry; returns its new DN. */
export async function moveEntry(
  name: DirectoryName,
  dn: string,
  newRdn: string,
  newParentDn?: string,
): Promise<string> {
  const newDn = `${newRdn},${newParentDn ?? parentOf(dn)}`;
  // ldapts sends what follows the RDN's first unescaped comma as newSuperior (a move).
  await withAdmin(name, (client) => client.modifyDN(dn, newParentDn ? newDn : newRdn));
  return newDn;
}

// ---------------------------------------------------------------- sync fixtures

interface Fixture {
  dn: string;
  /** Finds the entry wherever a test renamed or moved it. */
  filter: string;
  /** The attributes it is created with. */
  add: Record<string, string | string[]>;
}

function userFixture(env: DirectoryEnv, uid: string, index: number, prefix: string): Fixture {
  // The same container and object classes as test_user_1.
  const container = parentOf(env.users.test_user_1!.dn);
  const mail = `${uid}@kasm.core`;
  switch (env.name) {
    case "samba":
      // Created without a password (Samba then disables it); the restore sets password and UAC.
      return {
        dn: `CN=${uid},${container}`,
        filter: `(&(objectClass=user)(sAMAccountName=${uid}))`,
        add: { objectClass: "user", sAMAccountName: uid, userPrincipalName: mail },
      };
    case "openldap":
      return {
        dn: `uid=${uid},${container}`,
        // by mail too: a new uid RDN replaces the uid value
        filter: `(&(objectClass=inetOrgPerson)(|(uid=${uid})(mail=${mail})))`,
        add: {
          objectClass: ["inetOrgPerson", "posixAccount"],
          uid,
          cn: uid,
          sn: `Sync${index}`,
          givenName: "Sync",
          displayName: uid,
          uidNumber: String(10100 + index + (prefix === SYNC_PREFIX ? 0 : 100)),
          gidNumber: "10000",
          homeDirectory: `/home/${uid}`,
          loginShell: "/bin/bash",
        },
      };
    case "dirsrv":
      return {
        dn: `uid=${uid},${container}`,
        filter: `(&(objectClass=inetOrgPerson)(|(uid=${uid})(mail=${mail})))`,
        add: { objectClass: ["top", "person", "organizationalPerson", "inetOrgPerson"], uid, cn: uid, sn: uid },
      };
  }
}

function groupFixture(env: DirectoryEnv, members: string[], name: string): Fixture {
  const container = parentOf(env.groups.kasm_group_1!);
  return env.name === "samba"
    ? {
        dn: `CN=${name},${container}`,
        filter: `(&(objectClass=group)(sAMAccountName=${name}))`,
        add: { objectClass: "group", sAMAccountName: name, member: members },
      }
    : {
        dn: `cn=${name},${container}`,
        filter: `(&(objectClass=groupOfNames)(cn=${name}))`,
        add: { objectClass: "groupOfNames", cn: name, member: members },
      };
}

/** Puts the entry at its DN: moves it back if a test moved it, creates it if missing. Returns true if created. */
async function placeFixture(client: Client, env: DirectoryEnv, fixture: Fixture): Promise<boolean> {
  const { searchEntries } = await client.search(env.baseDn, {
    filter: fixture.filter,
    attributes: ["1.1"],
    paged: true,
  });
  if (searchEntries.some((e) => sameDn(e.dn, fixture.dn))) return false;
  const moved = searchEntries[0];
  if (moved) {
    await client.modifyDN(moved.dn, fixture.dn);
    return false;
  }
  await client.add(fixture.dn, fixture.add);
  return true;
}

/** The state every run starts from: enabled, the known password and mail. */
async function restoreUser(client: Client, env: DirectoryEnv, uid: string, dn: string): Promise<void> {
  const mail = `${uid}@kasm.core`;
  if (env.name === "samba") {
    await client.modify(dn, [
      replace("unicodePwd", [unicodePwd(SYNC_PASSWORD)]),
      replace("userAccountControl", [String(UAC_NORMAL)]),
      replace("mail", [mail]),
    ]);
    return;
  }
  // Unlock in a modify of its own: on OpenLDAP a password change under a policy makes ppolicy
  // append its own delete of pwdAccountLockedTime, which fails (16) next to ours in one modify.
  await client.modify(dn, await disableChanges(client, env, dn, false));
  await client.modify(dn, [
    replace("userPassword", [env.name === "openldap" ? ssha(SYNC_PASSWORD) : SYNC_PASSWORD]),
    replace("mail", [mail]),
    replace("uid", [uid]),
  ]);
}

export interface SyncFixtures {
  users: Record<string, { dn: string; password: string }>;
  group: string;
}

/**
 * Creates or restores <prefix>_user_1..3 (enabled, at their original DN, password SYNC_PASSWORD)
 * and <prefix>_group holding exactly the three. Safe to run again at any time. Test files that
 * run at the same time use fixtures of their own (another prefix).
 */
export async function ensureSyncFixtures(name: DirectoryName, prefix = SYNC_PREFIX): Promise<SyncFixtures> {
  return withAdmin(name, async (client, env) => {
    const users: SyncFixtures["users"] = {};
    for (const [i, uid] of [1, 2, 3].map((n) => `${prefix}_user_${n}`).entries()) {
      const fixture = userFixture(env, uid, i + 1, prefix);
      await placeFixture(client, env, fixture);
      await restoreUser(client, env, uid, fixture.dn);
      users[uid] = { dn: fixture.dn, password: SYNC_PASSWORD };
    }
    const members = Object.values(users).map((u) => u.dn);
    const group = groupFixture(env, members, `${prefix}_group`);
    // A new group already has its members; an existing one gets exactly them back.
    if (!(await placeFixture(client, env, group))) await client.modify(group.dn, replace("member", members));
    return { users, group: group.dn };
  });
}

// ---------------------------------------------------------------- bulk users (OpenLDAP)

const BULK_CONNECTIONS = 8;
const MEMBER_CHUNK = 1_000;

/**
 * OpenLDAP only: makes sure users bulk_sync_00001..`count` exist under ou=SyncBench,ou=MyOrg (and,
 * with groupDn, a groupOfNames at groupDn holding all of them). Existing ones are found by one paged
 * search and skipped; the rest are added over several connections at once. Returns the user DNs.
 */
export async function loadBulkUsers(count: number, options: { groupDn?: string } = {}): Promise<string[]> {
  const env = directoryEnv("openldap");
  const container = `ou=SyncBench,ou=MyOrg,${env.baseDn}`;
  const uids = Array.from({ length: count }, (_, i) => `bulk_sync_${String(i + 1).padStart(5, "0")}`);
  const dns = uids.map((uid) => `uid=${uid},${container}`);

  const existing = await withAdmin("openldap", async (client) => {
    try {
      await client.add(container, { objectClass: "organizationalUnit", ou: "SyncBench" });
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
    const { searchEntries } = await client.search(container, {
      scope: "one",
      filter: "(objectClass=inetOrgPerson)",
      attributes: ["uid"],
      paged: { pageSize: 1_000 },
    });
    return new Set(searchEntries.map((e) => String(e.uid)));
  });

  // Adds one at a time per connection, over several connections: slapd works on them in parallel.
  const missing = uids.filter((uid) => !existing.has(uid));
  let next = 0;
  const worker = () =>
    withAdmin("openldap", async (client) => {
      while (next < missing.length) {
        const uid = missing[next++]!;
        try {
          await client.add(`uid=${uid},${container}`, {
            objectClass: "inetOrgPerson",
            uid,
            cn: uid,
            sn: "SyncBench",
            mail: `${uid}@kasm.core`,
            userPassword: ssha(SYNC_PASSWORD),
          });
        } catch (error) {
          if (!(error instanceof AlreadyExistsError)) throw error; // a concurrent load added it
        }
      }
    });
  await Promise.all(Array.from({ length: Math.min(BULK_CONNECTIONS, missing.length) }, worker));

  const { groupDn } = options;
  if (groupDn) {
    // One add with every member; the memberof overlay then updates each user, so allow time.
    await withAdmin(
      "openldap",
      async (client) => {
        const group = await readEntry(client, groupDn, ["member"]);
        if (!group) {
          const cn = /^cn=([^,]+)/i.exec(groupDn)?.[1] ?? "sync_bench_users";
          await client.add(groupDn, { objectClass: "groupOfNames", cn, member: dns });
          return;
        }
        const present = new Set([group.member ?? []].flat().map((m) => String(m).toLowerCase()));
        const absent = dns.filter((dn) => !present.has(dn.toLowerCase()));
        for (let i = 0; i < absent.length; i += MEMBER_CHUNK) {
          await client.modify(
            groupDn,
            new Change({
              operation: "add",
              modification: new Attribute({ type: "member", values: absent.slice(i, i + MEMBER_CHUNK) }),
            }),
          );
        }
      },
      120_000,
    );
  }
  return dns;
}
