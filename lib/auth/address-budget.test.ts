import { expect, it } from "vitest";
import { addressBudget } from "./address-budget";

it("keeps IPv4 addresses and anything unparsable as they are", () => {
  expect(addressBudget("203.0.113.7")).toBe("203.0.113.7");
  expect(addressBudget("unknown")).toBe("unknown");
});

it("folds every IPv6 address of one /64 into one budget, however it is written", () => {
  const net = "2001:db8:1:2::/64";
  for (const address of [
    "2001:db8:1:2::1",
    "2001:0db8:0001:0002:ffff:ffff:ffff:ffff",
    "2001:DB8:1:2:0:0:0:0",
    "2001:db8:1:2::abcd%eth0",
  ]) {
    expect(addressBudget(address)).toBe(net);
  }
  expect(addressBudget("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
  expect(addressBudget("::1")).toBe("0:0:0:0::/64");
  expect(addressBudget("fe80::1")).toBe("fe80:0:0:0::/64");
});
