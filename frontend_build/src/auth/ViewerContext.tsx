// Who is signed in: the viewer query once, its CSRF token kept for mutations, and the roles
// the menus and screens ask about.
import { createContext, useContext, type ReactNode } from "react";
import { useGql } from "../api/hooks";
import { setCsrfToken } from "../api/client";
import { type Role, type ViewerQuery, ViewerDocument } from "../gql/graphql";

export type SignedInUser = NonNullable<ViewerQuery["viewer"]>["user"];

type ViewerState = {
  user: SignedInUser | null;
  loading: boolean;
  refetch: () => Promise<unknown>;
};

const ViewerContext = createContext<ViewerState>({
  user: null,
  loading: true,
  refetch: async () => undefined,
});

export function ViewerProvider({ children }: { children: ReactNode }) {
  const query = useGql(ViewerDocument, {}, { staleTime: Infinity, retry: false });
  const viewer = query.data?.viewer ?? null;
  if (viewer?.csrfToken) setCsrfToken(viewer.csrfToken);
  return (
    <ViewerContext.Provider
      value={{ user: viewer?.user ?? null, loading: query.isLoading, refetch: query.refetch }}
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
