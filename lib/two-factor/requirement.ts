/** The group setting that requires a second factor; like every group setting, the lowest priority number wins. */
export const REQUIRE_TWO_FACTOR = "require_two_factor";

export function requiresTwoFactor(value: string | null | undefined): boolean {
  return value?.trim().toLowerCase() === "true";
}
