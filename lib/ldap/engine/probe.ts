import "server-only";
import type { Client } from "ldapts";
import type { LdapConfig } from "../config";
import { ldapError, toLdapError, type Result } from "../errors";
import { AD_CAPABILITY_OID, IN_CHAIN_OID, PAGED_RESULTS_OID, STARTTLS_OID } from "../oids";
import type { PresetId, Vendor } from "../presets";
import { literal, toLdaptsFilter } from "./ldapts-filter";
import { allValues, firstValue } from "./search";

export interface ProbeResult {
  vendor: Vendor;
  vendorName?: string;
  vendorVersion?: string;
  namingContexts: string[];
  defaultNamingContext?: string;
  supportsPagedResults: boolean;
  supportsStartTls: boolean;
  /** AD's LDAP_MATCHING_RULE_IN_CHAIN answered without error (nested groups by the server). */
  inChainRule: boolean;
  suggestedPreset?: PresetId;
}

function vendorOf(rootDse: Record<string, string[]>): Vendor {
  const has = (name: string, needle: RegExp) => (rootDse[name.toLowerCase()] ?? []).some((value) => needle.test(value));
  if (has("supportedCapabilities", new RegExp(AD_CAPABILITY_OID.replaceAll(".", "\\.")))) return "active_directory";
  if (has("vendorName", /389|Red Hat|Fedora|Netscape/i)) return "389ds";
  if (has("objectClass", /OpenLDAProotDSE/i) || has("configContext", /cn=config/i)) return "openldap";
  return "unknown";
}

/** Reads the RootDSE on an open (bound or anonymous) connection and checks the in-chain rule. */
export async function probeOnClient(client: Client, config: LdapConfig, url: string): Promise<Result<ProbeResult>> {
  const context = { url, timeoutMs: config.operationTimeoutMs };
  let rootDse: Record<string, string[]> = {};
  try {
    const { searchEntries } = await client.search("", {
      scope: "base",
      filter: "(objectClass=*)",
      attributes: ["*", "+"],
    });
    const entry = searchEntries[0];
    if (!entry)
      return { ok: false, error: ldapError("unknown", "probe", { detail: "The server returned no RootDSE" }) };
    rootDse = Object.fromEntries(
      Object.keys(entry)
        .filter((key) => key !== "dn")
        .map((key) => [key.toLowerCase(), allValues(entry, key)]),
    );
  } catch (error) {
    return { ok: false, error: toLdapError(error, "probe", context) };
  }
  const vendor = vendorOf(rootDse);
  const values = (name: string) => rootDse[name.toLowerCase()] ?? [];

  let inChainRule = false;
  if (vendor === "active_directory") {
    // Only AD implements the rule; elsewhere it is an error (389 DS) or silently matches nothing.
    const base = config.searchBase || firstValue({ dn: "", ...rootDse } as never, "defaultNamingContext") || "";
    const filter = toLdaptsFilter({
      type: "extensible",
      attribute: "member",
      matchingRule: IN_CHAIN_OID,
      dnAttributes: false,
      value: literal(base),
    });
    try {
      await client.search(base, { scope: "base", filter, attributes: ["1.1"] });
      inChainRule = true;
    } catch {
      inChainRule = false;
    }
  }

  const preset: Record<Vendor, PresetId | undefined> = {
    active_directory: "active_directory",
    openldap: "openldap",
    "389ds": "389ds",
    unknown: undefined,
  };
  return {
    ok: true,
    value: {
      vendor,
      vendorName: values("vendorName")[0],
      vendorVersion: values("vendorVersion")[0],
      namingContexts: values("namingContexts"),
      defaultNamingContext: values("defaultNamingContext")[0],
      supportsPagedResults: values("supportedControl").includes(PAGED_RESULTS_OID),
      supportsStartTls: values("supportedExtension").includes(STARTTLS_OID),
      inChainRule,
      suggestedPreset: preset[vendor],
    },
  };
}
