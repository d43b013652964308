import { describe, expect, it } from "vitest";
import { routingConflict } from "./routing";

const openldap = {
  name: "OpenLDAP",
  enabled: true,
  displayOrder: 0,
  searchBase: "dc=kasm,dc=core",
  alternateDomains: "",
};

describe("routing conflicts between configurations", () => {
  it("names the other configuration when both answer for a domain at the same display order", () => {
    const conflict = routingConflict({ displayOrder: 0, searchBase: "DC=kasm,DC=core", alternateDomains: "" }, [
      openldap,
    ]);
    expect(conflict).toMatch(/kasm\.core is also routed to "OpenLDAP" with the same display order 0/);
  });

  it("counts alternate domains and usernames without a domain", () => {
    const other = { ...openldap, searchBase: "dc=corp,dc=example", alternateDomains: "*, kasm.core" };
    expect(routingConflict({ displayOrder: 0, searchBase: "dc=x,dc=y", alternateDomains: "*" }, [other])).toMatch(
      /^\*/,
    );
    expect(routingConflict({ displayOrder: 0, searchBase: "DC=kasm,DC=core", alternateDomains: "" }, [other])).toMatch(
      /^kasm\.core/,
    );
  });

  it("has no conflict with another display order, a disabled configuration or another domain", () => {
    const mine = { displayOrder: 0, searchBase: "DC=kasm,DC=core", alternateDomains: "" };
    expect(routingConflict({ ...mine, displayOrder: 1 }, [openldap])).toBeUndefined();
    expect(routingConflict(mine, [{ ...openldap, enabled: false }])).toBeUndefined();
    expect(routingConflict(mine, [{ ...openldap, searchBase: "dc=other,dc=example" }])).toBeUndefined();
  });
});
