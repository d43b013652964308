/** What the login form and the second-step page agree on (no server code: the form imports it). */

/** The sign-in error that sends the form to the second step instead of showing a message. */
export const SECOND_STEP_DUE = "second_factor_due";

/** The NextAuth provider that turns a satisfied second step into a session. */
export const SECOND_STEP_PROVIDER = "second-factor";

export const SECOND_STEP_PATH = "/login/second-factor";
