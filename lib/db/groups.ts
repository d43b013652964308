import "server-only";
import { db } from "./client";

export const SYSTEM_GROUPS = {
  allUsers: { systemKey: "all_users", name: "All Users", description: "Every user of the portal", priority: 1000 },
  administrators: {
    systemKey: "administrators",
    name: "Administrators",
    description: "Members may use the admin area",
    priority: 1,
  },
} as const;

export type SystemGroupKey = (typeof SYSTEM_GROUPS)[keyof typeof SYSTEM_GROUPS]["systemKey"];

/** Creates the two built-in groups when missing; existing ones (possibly renamed) are kept. */
export async function ensureSystemGroups(): Promise<void> {
  for (const group of Object.values(SYSTEM_GROUPS)) {
    const exists = await db().group.findUnique({ where: { systemKey: group.systemKey } });
    if (exists) continue;
    // A custom group may already hold the default priority; pick the next free one then.
    let priority: number = group.priority;
    while (await db().group.findUnique({ where: { priority } })) priority += 1;
    await db().group.create({ data: { ...group, priority } });
  }
}

export async function systemGroupId(key: SystemGroupKey): Promise<string> {
  const group = await db().group.findUniqueOrThrow({ where: { systemKey: key }, select: { id: true } });
  return group.id;
}
