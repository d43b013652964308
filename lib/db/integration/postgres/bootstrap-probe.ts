// Run by startup-lock.int.test.ts as a separate "instance": the start-up bootstrap under the
// start-up lock, against DATABASE_URL. Prints "ok" or the error.
import { bootstrap } from "@/lib/auth/bootstrap";
import { withStartupLock } from "@/lib/db/database";

withStartupLock(bootstrap).then(
  () => {
    console.log("ok");
    process.exit(0);
  },
  (error: { code?: string; message?: string }) => {
    console.log(`failed: ${error?.code ?? ""} ${String(error?.message ?? error)}`);
    process.exit(1);
  },
);
