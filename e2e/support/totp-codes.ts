import { totpCode } from "../../lib/two-factor/totp";

/**
 * An authenticator app for the browser tests: the key the page shows, and the codes the app
 * would show. The portal accepts the step before and after the current one, never a step at or
 * before the last it accepted, so the app hands out the current step or the next one, whichever
 * is later than the last accepted, and waits (at most one step) when both were used.
 */
const STEP_MS = 30_000;

const stepAt = (time: number) => Math.floor(time / STEP_MS);

export class AuthenticatorApp {
  /** The last step whose code the portal accepted. */
  private lastStep: number | undefined;

  /** `shownKey` as the page shows it: base32, grouped by four with spaces. */
  constructor(shownKey: string) {
    this.secret = shownKey.replace(/\s/g, "");
  }

  readonly secret: string;

  /** A code the portal accepts now and has not accepted before (call accepted() once it did). */
  async nextCode(): Promise<{ code: string; step: number }> {
    for (;;) {
      const now = stepAt(Date.now());
      const step = Math.max(now, (this.lastStep ?? now - 1) + 1);
      // This step and the next stay within the window across one step boundary.
      if (step <= now + 1) return { code: totpCode(this.secret, step * STEP_MS + 1_000), step };
      await new Promise((resolve) => setTimeout(resolve, (now + 1) * STEP_MS - Date.now() + 200));
    }
  }

  accepted(step: number): void {
    this.lastStep = Math.max(this.lastStep ?? step, step);
  }

  /** The code of the last accepted step (a replay). */
  lastCode(): string {
    if (this.lastStep === undefined) throw new Error("no code was accepted yet");
    return totpCode(this.secret, this.lastStep * STEP_MS + 1_000);
  }

  /** Six digits that are no code of the window around now. */
  wrongCode(): string {
    const now = stepAt(Date.now());
    const valid = new Set([-2, -1, 0, 1, 2].map((delta) => totpCode(this.secret, (now + delta) * STEP_MS + 1_000)));
    for (let candidate = 123456; ; candidate = (candidate + 111_111) % 1_000_000) {
      const code = String(candidate).padStart(6, "0");
      if (!valid.has(code)) return code;
    }
  }
}
