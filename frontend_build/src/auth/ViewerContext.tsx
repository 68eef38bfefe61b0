// Who is signed in: the viewer query once, its CSRF token kept for mutations, and the roles
// the menus and screens ask about. A user who must choose a new password first (a new account,
// or after an admin's reset) may read who they are and nothing else: the shell then shows the
// forced password change instead of the app.
import { createContext, useContext, type ReactNode } from "react";
import { useGql } from "../api/hooks";
import { setCsrfToken } from "../api/client";
import { type Role, type ViewerQuery, ViewerDocument } from "../gql/graphql";

export type SignedInUser = NonNullable<ViewerQuery["viewer"]>["user"];

/** The user as far as they may see themselves before choosing a new password. */
export type PendingUser = { id: string; username: string; displayName: string };

type ViewerState = {
  user: SignedInUser | null;
  /** Set while the signed-in user must choose a new password before anything else. */
  mustChangePassword: PendingUser | null;
  loading: boolean;
  refetch: () => Promise<unknown>;
};

const ViewerContext = createContext<ViewerState>({
  user: null,
  mustChangePassword: null,
  loading: true,
  refetch: async () => undefined,
});

export function ViewerProvider({ children }: { children: ReactNode }) {
  const query = useGql(ViewerDocument, {}, { staleTime: Infinity, retry: false });
  const viewer = query.data?.viewer ?? null;
  if (viewer?.csrfToken) setCsrfToken(viewer.csrfToken);
  const pending = viewer?.mustChangePassword ? viewer.user : null;
  return (
    <ViewerContext.Provider
      value={{
        user: pending ? null : (viewer?.user ?? null),
        mustChangePassword: pending,
        loading: query.isLoading,
        refetch: query.refetch,
      }}
    >
      {children}
    </ViewerContext.Provider>
  );
}

export function useViewer(): ViewerState {
  return useContext(ViewerContext);
}

/** Whether the user holds any of these roles (on any unit). */
export function hasRole(user: SignedInUser | null, roles: readonly Role[] | undefined): boolean {
  if (!user) return false;
  if (!roles || roles.length === 0) return true;
  return user.roles.some((grant) => roles.includes(grant.role));
}

/** The distinct roles the user holds. */
export function rolesOf(user: SignedInUser | null): Role[] {
  return [...new Set(user?.roles.map((grant) => grant.role) ?? [])];
}
