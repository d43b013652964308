-- What every sign-in reads and only administrators change (configurations, groups, mappings) is
-- cached by each instance; this version moves on every write to those tables, whichever instance
-- or tool made it, so a cached copy is reloaded at the next sign-in.
-- CreateTable
CREATE TABLE "SettingsVersion" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SettingsVersion_pkey" PRIMARY KEY ("id")
);
INSERT INTO "SettingsVersion" ("id", "version") VALUES (1, 0);

CREATE FUNCTION "bump_settings_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "SettingsVersion" SET "version" = "version" + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER "LdapConfig_settings_version" AFTER INSERT OR UPDATE OR DELETE ON "LdapConfig" FOR EACH STATEMENT EXECUTE FUNCTION "bump_settings_version"();
CREATE TRIGGER "Group_settings_version" AFTER INSERT OR UPDATE OR DELETE ON "Group" FOR EACH STATEMENT EXECUTE FUNCTION "bump_settings_version"();
CREATE TRIGGER "GroupLdapMapping_settings_version" AFTER INSERT OR UPDATE OR DELETE ON "GroupLdapMapping" FOR EACH STATEMENT EXECUTE FUNCTION "bump_settings_version"();
