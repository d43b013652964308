import "server-only";
/**
 * One paged search at a time per connection. OpenLDAP keeps a single paged-results state per
 * connection: a second paged search started on it invalidates the first one's cookie (result 53,
 * "paged results cookie is invalid or old"). Ordinary searches never wait here.
 */
const tails = new WeakMap<object, Promise<void>>();

/**
 * Runs `run` once no other run holding `key` is in progress (first come, first served).
 * Resolves `{ waited: true }` without running when the others took longer than `waitMs`.
 */
export async function exclusively<T>(
  key: object,
  waitMs: number,
  run: () => Promise<T>,
): Promise<{ waited: false; value: T } | { waited: true }> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  // The next run waits for the previous one AND this one: giving up below cannot let it overlap.
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  try {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<"expired">((resolve) => (timer = setTimeout(() => resolve("expired"), waitMs)));
    const turn = await Promise.race([previous, expired]).finally(() => clearTimeout(timer));
    if (turn === "expired") return { waited: true };
    return { waited: false, value: await run() };
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
