import "server-only";
/**
 * The account's state as the directory records it, read from the user entry so that look-up
 * mode can say "this account is disabled" without a password. The bind remains the authority.
 */
export interface AccountState {
  usable: boolean;
  flags: string[];
}

const UF_ACCOUNTDISABLE = 0x2;
const UF_LOCKOUT = 0x10;
const UF_PASSWORD_EXPIRED = 0x800000;
const NEVER = ["0", "9223372036854775807"];

/** Windows FILETIME (100 ns since 1601) → JS time. */
function fileTimeToMs(value: string): number {
  return Number(BigInt(value) / 10_000n) - 11_644_473_600_000;
}

export function accountStateOf(attributes: Record<string, string[]>, now = Date.now()): AccountState {
  const get = (name: string) =>
    Object.entries(attributes).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]?.[0];
  const flags: string[] = [];
  const uac = Number(get("userAccountControl") ?? 0);
  if (uac & UF_ACCOUNTDISABLE) flags.push("disabled");
  if (uac & UF_LOCKOUT || Number(get("lockoutTime") ?? 0) > 0) flags.push("locked");
  if (uac & UF_PASSWORD_EXPIRED) flags.push("password_expired");
  const expires = get("accountExpires");
  if (expires && /^\d+$/.test(expires) && !NEVER.includes(expires) && fileTimeToMs(expires) < now)
    flags.push("account_expired");
  if (get("pwdLastSet") === "0") flags.push("must_change_password");
  if (get("pwdAccountLockedTime")) flags.push("locked");
  if (get("nsAccountLock")?.toLowerCase() === "true") flags.push("disabled");
  const unique = [...new Set(flags)];
  return { usable: unique.length === 0, flags: unique };
}
