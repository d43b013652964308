import { IN_CHAIN_OID } from "./oids";

/** What a directory's RootDSE says it is (engine/probe.ts reads it). */
export type Vendor = "active_directory" | "openldap" | "389ds" | "unknown";
export type PresetId = "active_directory" | "openldap" | "389ds";

/** A placeholder the administrator must replace; the form refuses to save it. */
export const ALLOWED_GROUP_PLACEHOLDER = "<allowed group DN>";

export interface Preset {
  id: PresetId;
  label: string;
  values: {
    searchFilter: string;
    groupMembershipFilter: string;
    emailAttribute: string;
    searchSubtree: boolean;
    nestedGroups: boolean;
  };
  note: string;
}

/** Settings in the documentation's style for the three directories the product supports. */
export const PRESETS: Record<PresetId, Preset> = {
  active_directory: {
    id: "active_directory",
    label: "Active Directory",
    values: {
      searchFilter: `&(objectClass=user)(sAMAccountName={0})(memberof:${IN_CHAIN_OID}:=${ALLOWED_GROUP_PLACEHOLDER})`,
      groupMembershipFilter: `&(objectClass=group)(member:${IN_CHAIN_OID}:={0})`,
      emailAttribute: "mail",
      searchSubtree: true,
      nestedGroups: true,
    },
    note: "Replace <allowed group DN> with the group whose members (direct or nested) may sign in. Active Directory needs ldaps:// or StartTLS for simple binds.",
  },
  openldap: {
    id: "openldap",
    label: "OpenLDAP",
    values: {
      searchFilter: "&(objectClass=inetOrgPerson)(uid={0})",
      groupMembershipFilter: "&(objectClass=groupOfNames)(member={0})",
      emailAttribute: "mail",
      searchSubtree: true,
      nestedGroups: true,
    },
    note: "Nested groups are expanded by the portal. To allow only one group's members, set Required Group in the advanced settings.",
  },
  "389ds": {
    id: "389ds",
    label: "389 DS / FreeIPA",
    values: {
      searchFilter: "&(objectClass=inetOrgPerson)(uid={0})",
      groupMembershipFilter: "&(objectClass=groupOfNames)(member={0})",
      emailAttribute: "mail",
      searchSubtree: true,
      nestedGroups: true,
    },
    note: "FreeIPA keeps users under cn=users,cn=accounts and groups under cn=groups,cn=accounts. Set Required Group to allow only one group's members.",
  },
};
