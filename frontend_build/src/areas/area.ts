// What an area of the app (rankings, assessments, templates, ...) gives the shell: its routes,
// its menu entries (shown to the roles that can use them) and its words in both languages.
import type { ReactNode } from "react";
import type { RouteObject } from "react-router";
import type { Role } from "../gql/graphql";
import { hasRole, type SignedInUser } from "../auth/ViewerContext";

export type Messages = { [key: string]: string | Messages };

export type MenuEntry = {
  path: string;
  /** An i18n key, e.g. "rankings.menu". */
  label: string;
  icon: ReactNode;
  /** Shown to holders of any of these roles; to everyone signed in when absent. */
  roles?: Role[];
  /** A further condition on the user (e.g. an ADMIN grant on the province itself). */
  when?: (user: SignedInUser) => boolean;
};

/** Whether the menu shows the entry to the user: one of its roles, and its condition. */
export function shows(entry: MenuEntry, user: SignedInUser | null): boolean {
  return hasRole(user, entry.roles) && (!entry.when || (user !== null && entry.when(user)));
}

export type Area = {
  /** The area's i18n namespace: its keys are `${key}.…`. */
  key: string;
  menu: MenuEntry[];
  routes: RouteObject[];
  messages: { zh: Messages; en: Messages };
};
