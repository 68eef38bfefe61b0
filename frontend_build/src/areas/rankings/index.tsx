// The rankings area: the leaders' dashboard and the comparison of units, its menu entry and words.
import { TrophyOutlined } from "@ant-design/icons";
import type { Area } from "../area";
import { ComparePage } from "./ComparePage";
import { DashboardPage } from "./DashboardPage";
import { en, zh } from "./messages";

export const area: Area = {
  key: "rankings",
  menu: [
    {
      path: "rankings",
      label: "rankings.menu",
      icon: <TrophyOutlined />,
      roles: ["ADMIN", "VIEWER", "ASSESSOR"],
    },
  ],
  routes: [
    { path: "rankings", element: <DashboardPage /> },
    { path: "rankings/compare", element: <ComparePage /> },
  ],
  messages: { zh, en },
};
