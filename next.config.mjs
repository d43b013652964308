/** @type {import('next').NextConfig} */
const nextConfig = {
  // ldapts and the SQLite driver are Node-only; keep them out of the bundler. prom-client is
  // loaded once for the process (its metrics are shared by every bundle); pino is external by default.
  serverExternalPackages: ["ldapts", "better-sqlite3", "@prisma/adapter-better-sqlite3", "prom-client"],
  experimental: {
    // forbidden() renders app/forbidden.tsx with status 403 for signed-in non-admins.
    authInterrupts: true,
  },
  poweredByHeader: false,
};

export default nextConfig;
