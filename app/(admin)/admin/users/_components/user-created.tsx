import { Button, LinkButton, Notice } from "@/app/_components/ui";
import { PasswordOnce } from "./password-once";

export interface CreatedUser {
  id: string;
  username: string;
  generatedPassword?: string;
}

/** After creating a user: the notice, a generated password shown once, and where to go next. */
export function UserCreated({ created, onCreateAnother }: { created: CreatedUser; onCreateAnother: () => void }) {
  return (
    <div className="space-y-4">
      <Notice>User {created.username} created.</Notice>
      {created.generatedPassword && <PasswordOnce password={created.generatedPassword} />}
      <div className="flex gap-2">
        <LinkButton href={`/admin/users/${created.id}`} variant="primary">
          Open {created.username}
        </LinkButton>
        <LinkButton href="/admin/users">Back to users</LinkButton>
        <Button onClick={onCreateAnother}>Create another</Button>
      </div>
    </div>
  );
}
