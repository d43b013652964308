import { Client } from "ldapts";
import { caCertificate, directoryEnv, type DirectoryEnv } from "../directories/env";

/** How the portal is configured for each test directory, in the documentation's style. */
export interface DirectorySetup {
  env: DirectoryEnv;
  preset: "Active Directory" | "OpenLDAP" | "389 DS / FreeIPA";
  url: string;
  startTls: boolean;
  searchFilter: string;
  groupMembershipFilter: string;
  /** The portable allowed-group rule, for directories without the AD in-chain rule. */
  requiredGroupDn: string;
  ca: string;
}

export function directorySetup(name: DirectoryEnv["name"]): DirectorySetup {
  const env = directoryEnv(name);
  const allowed = env.groups.all_kasm_app_users!;
  if (name === "samba") {
    return {
      env,
      preset: "Active Directory",
      url: env.urls.ldaps,
      startTls: false,
      searchFilter: `&(objectClass=user)(sAMAccountName={0})(memberof:1.2.840.113556.1.4.1941:=${allowed})`,
      groupMembershipFilter: "&(objectClass=group)(member:1.2.840.113556.1.4.1941:={0})",
      requiredGroupDn: "",
      ca: caCertificate(env),
    };
  }
  return {
    env,
    preset: name === "openldap" ? "OpenLDAP" : "389 DS / FreeIPA",
    url: env.urls.ldap,
    startTls: true,
    searchFilter: "&(objectClass=inetOrgPerson)(uid={0})",
    groupMembershipFilter: "&(objectClass=groupOfNames)(member={0})",
    requiredGroupDn: allowed,
    ca: caCertificate(env),
  };
}

/** Changes the directory itself (as its administrator), e.g. to remove a user from a group. */
export async function withDirectoryAdmin<T>(setup: DirectorySetup, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({
    url: setup.env.urls.ldaps,
    tlsOptions: { ca: [setup.ca] },
    timeout: 10_000,
    connectTimeout: 5_000,
    strictDN: false,
  });
  try {
    await client.bind(setup.env.admin.dn, setup.env.admin.password);
    return await run(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
