import type { PresetId } from "./probe";

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
      searchFilter: `&(objectClass=user)(sAMAccountName={0})(memberof:1.2.840.113556.1.4.1941:=${ALLOWED_GROUP_PLACEHOLDER})`,
      groupMembershipFilter: "&(objectClass=group)(member:1.2.840.113556.1.4.1941:={0})",
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
