import { describe, expect, it } from "vitest";
import { effectiveSettings } from "./settings";

describe("effectiveSettings", () => {
  it("takes each key from the group with the lowest priority number", () => {
    const result = effectiveSettings([
      {
        id: "a",
        name: "All Users",
        priority: 1000,
        settings: [
          { key: "theme", value: "light" },
          { key: "max", value: "1" },
        ],
      },
      { id: "b", name: "LDAP Group 1", priority: 10, settings: [{ key: "max", value: "5" }] },
    ]);
    expect(result).toEqual([
      { key: "max", value: "5", fromGroup: "LDAP Group 1", overridden: [{ group: "All Users", value: "1" }] },
      { key: "theme", value: "light", fromGroup: "All Users", overridden: [] },
    ]);
  });

  it("returns nothing for groups without settings", () => {
    expect(effectiveSettings([{ id: "a", name: "All Users", priority: 1000, settings: [] }])).toEqual([]);
  });
});
