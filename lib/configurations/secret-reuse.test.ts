import { describe, expect, it } from "vitest";
import { mayReuseStoredPassword, servicePasswordError, type Destination } from "./secret-reuse";

const saved: Destination = {
  url: "ldaps://dc1.kasm.core",
  failoverUrls: "ldaps://dc2.kasm.core",
  serviceAccountDn: "CN=svc,DC=kasm,DC=core",
  startTls: false,
  verifyCertificate: true,
  caCertificate: "",
};
const stored = { destination: saved, hasPassword: true };

describe("reusing the stored service account password", () => {
  it("is allowed toward the same servers, for the same account, as protected, with the field left empty", () => {
    expect(
      mayReuseStoredPassword(
        { ...saved, failoverUrls: " ldaps://dc2.kasm.core, ", serviceAccountPassword: "" },
        stored,
      ),
    ).toBe(true);
    expect(servicePasswordError({ ...saved, serviceAccountPassword: "" }, stored)).toBeUndefined();
  });

  it("is refused when anything about where or how it is sent changed", () => {
    const changes: Partial<Destination>[] = [
      { url: "ldaps://evil.example" },
      { failoverUrls: "ldaps://dc2.kasm.core\nldaps://evil.example" },
      { serviceAccountDn: "CN=other,DC=kasm,DC=core" },
      { verifyCertificate: false },
      { caCertificate: "-----BEGIN CERTIFICATE-----x-----END CERTIFICATE-----" },
    ];
    for (const change of changes) {
      const typed = { ...saved, ...change, serviceAccountPassword: "" };
      expect(mayReuseStoredPassword(typed, stored), JSON.stringify(change)).toBe(false);
      expect(servicePasswordError(typed, stored), JSON.stringify(change)).toMatch(
        /Type the Service Account Password again/,
      );
    }
  });

  it("asks for a password when none is stored, and never for a configuration without a service account", () => {
    expect(servicePasswordError({ ...saved, serviceAccountPassword: "" }, undefined)).toBe(
      "Enter the Service Account Password",
    );
    expect(
      servicePasswordError({ ...saved, serviceAccountPassword: "" }, { destination: saved, hasPassword: false }),
    ).toBe("Enter the Service Account Password");
    expect(
      servicePasswordError({ ...saved, serviceAccountDn: "", serviceAccountPassword: "" }, undefined),
    ).toBeUndefined();
    expect(
      mayReuseStoredPassword({ ...saved, serviceAccountPassword: "" }, { destination: saved, hasPassword: false }),
    ).toBe(false);
  });

  it("uses a typed password as it is", () => {
    expect(mayReuseStoredPassword({ ...saved, url: "ldaps://new", serviceAccountPassword: "typed" }, stored)).toBe(
      false,
    );
    expect(
      servicePasswordError({ ...saved, url: "ldaps://new", serviceAccountPassword: "typed" }, stored),
    ).toBeUndefined();
  });
});
