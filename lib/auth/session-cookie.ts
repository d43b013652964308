/** NextAuth's session cookie: the __Secure- name when the site is served over HTTPS. */
export const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"] as const;
