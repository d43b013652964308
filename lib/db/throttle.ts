import "server-only";
import { db } from "./client";

export async function readThrottle(key: string) {
  return db().loginThrottle.findUnique({ where: { key } });
}

export async function writeThrottle(key: string, data: { failures: number; windowStart: Date; lockedUntil: Date | null }) {
  await db().loginThrottle.upsert({ where: { key }, create: { key, ...data }, update: data });
}

export async function clearThrottle(key: string) {
  await db().loginThrottle.deleteMany({ where: { key } });
}
