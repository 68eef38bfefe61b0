// The cycles area: the list of assessment cycles and one cycle's page, for admins and assessors.
import { ScheduleOutlined } from "@ant-design/icons";
import type { Area } from "../area";
import { CyclePage } from "./CyclePage";
import { CyclesPage } from "./CyclesPage";
import { en, zh } from "./messages";

export const area: Area = {
  key: "cycles",
  menu: [{ path: "/cycles", label: "cycles.menu", icon: <ScheduleOutlined />, roles: ["ADMIN", "ASSESSOR"] }],
  routes: [
    { path: "cycles", element: <CyclesPage /> },
    { path: "cycles/:id", element: <CyclePage /> },
  ],
  messages: { zh, en },
};
