import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: "LDAP Portal",
  description: "Sign in with your organisation's directory account",
  icons: { icon: "/favicon.ico", apple: "/apple-touch-icon.png" },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
