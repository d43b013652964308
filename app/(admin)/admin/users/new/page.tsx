import { Card, PageHeader } from "@/app/_components/ui";
import { requireAdmin } from "@/lib/auth/guards";
import { CreateUserForm } from "../_components/create-user-form";

export const metadata = { title: "Create User · LDAP Portal" };

export default async function NewUserPage() {
  await requireAdmin();
  return (
    <div>
      <PageHeader
        title="Create User"
        description="A local account that signs in with a password stored (hashed) in the portal."
      />
      <Card>
        <CreateUserForm />
      </Card>
    </div>
  );
}
