// The ledgers area: accidents, hidden hazards, task lists and responsibility statements.
import { BookOutlined } from "@ant-design/icons";
import { Navigate } from "react-router";
import type { Area } from "../area";
import { LedgersPage } from "./LedgersPage";
import { en, zh } from "./messages";

export const area: Area = {
  key: "ledgers",
  menu: [{ path: "ledgers", label: "ledgers.menu", icon: <BookOutlined /> }],
  routes: [
    { path: "ledgers", element: <Navigate to="/ledgers/accidents" replace /> },
    { path: "ledgers/accidents", element: <LedgersPage tab="accidents" /> },
    { path: "ledgers/hazards", element: <LedgersPage tab="hazards" /> },
    { path: "ledgers/tasks", element: <LedgersPage tab="tasks" /> },
    { path: "ledgers/statements", element: <LedgersPage tab="statements" /> },
  ],
  messages: { zh, en },
};
