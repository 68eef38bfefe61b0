// What an area of the app (rankings, assessments, templates, ...) gives the shell: its routes,
// its menu entries (shown to the roles that can use them) and its words in both languages.
import type { ReactNode } from "react";
import type { RouteObject } from "react-router";
import type { Role } from "../gql/graphql";

export type Messages = { [key: string]: string | Messages };

export type MenuEntry = {
  path: string;
  /** An i18n key, e.g. "rankings.menu". */
  label: string;
  icon: ReactNode;
  /** Shown to holders of any of these roles; to everyone signed in when absent. */
  roles?: Role[];
};

export type Area = {
  /** The area's i18n namespace: its keys are `${key}.…`. */
  key: string;
  menu: MenuEntry[];
  routes: RouteObject[];
  messages: { zh: Messages; en: Messages };
};
