export async function register() {
  // Bootstrap only in the Node.js server, never in the edge runtime.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { bootstrap } = await import("./lib/auth/bootstrap");
    await bootstrap();
  }
}
