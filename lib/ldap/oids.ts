// Object identifiers the portal relies on, named once. Pure: forms and presets may import them.

/** AD LDAP_MATCHING_RULE_IN_CHAIN: transitive (nested) group membership, evaluated by the server. */
export const IN_CHAIN_OID = "1.2.840.113556.1.4.1941";
/** LDAP_CAP_ACTIVE_DIRECTORY_OID: advertised in supportedCapabilities by Active Directory and Samba. */
export const AD_CAPABILITY_OID = "1.2.840.113556.1.4.800";
/** The simple paged results control (RFC 2696). */
export const PAGED_RESULTS_OID = "1.2.840.113556.1.4.319";
/** The StartTLS extended operation (RFC 4511 section 4.14). */
export const STARTTLS_OID = "1.3.6.1.4.1.1466.20037";
