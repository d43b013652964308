-- What every sign-in reads and only administrators change (configurations, groups, mappings) is
-- cached by each instance; this version moves on every write to those tables, whichever instance
-- or tool made it, so a cached copy is reloaded at the next sign-in.
-- CreateTable
CREATE TABLE "SettingsVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "SettingsVersion" ("id", "version") VALUES (1, 0);

CREATE TRIGGER "LdapConfig_insert_settings_version" AFTER INSERT ON "LdapConfig" BEGIN UPDATE "SettingsVersion" SET "version" = "version" + 1; END;
CREATE TRIGGER "LdapConfig_update_settings_version" AFTER UPDATE ON "LdapConfig" BEGIN UPDATE "SettingsVersion" SET "version" = "version" + 1; END;
CREATE TRIGGER "LdapConfig_delete_settings_version" AFTER DELETE ON "LdapConfig" BEGIN UPDATE "SettingsVersion" SET "version" = "version" + 1; END;
CREATE TRIGGER "Group_insert_settings_version" AFTER INSERT ON "Group" BEGIN UPDATE "SettingsVersion" SET "version" = "version" + 1; END;
CREATE TRIGGER "Group_update_settings_version" AFTER UPDATE ON "Group" BEGIN UPDATE "SettingsVersion" SET "version" = "version" + 1; END;
CREATE TRIGGER "Group_delete_settings_version" AFTER DELETE ON "Group" BEGIN UPDATE "SettingsVersion" SET "version" = "version" + 1; END;
CREATE TRIGGER "GroupLdapMapping_insert_settings_version" AFTER INSERT ON "GroupLdapMapping" BEGIN UPDATE "SettingsVersion" SET "version" = "version" + 1; END;
CREATE TRIGGER "GroupLdapMapping_update_settings_version" AFTER UPDATE ON "GroupLdapMapping" BEGIN UPDATE "SettingsVersion" SET "version" = "version" + 1; END;
CREATE TRIGGER "GroupLdapMapping_delete_settings_version" AFTER DELETE ON "GroupLdapMapping" BEGIN UPDATE "SettingsVersion" SET "version" = "version" + 1; END;
