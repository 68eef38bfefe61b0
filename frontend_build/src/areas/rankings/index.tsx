// The rankings area: the leaders' dashboard, the scorecard matrix and the comparison of units,
// its menu entries and words.
import { TableOutlined, TrophyOutlined } from "@ant-design/icons";
import type { Area } from "../area";
import { ComparePage } from "./ComparePage";
import { DashboardPage } from "./DashboardPage";
import { MatrixPage } from "./MatrixPage";
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
    {
      path: "rankings/matrix",
      label: "rankings.matrix.menu",
      icon: <TableOutlined />,
      roles: ["ADMIN", "VIEWER", "ASSESSOR"],
    },
  ],
  routes: [
    { path: "rankings", element: <DashboardPage /> },
    { path: "rankings/compare", element: <ComparePage /> },
    { path: "rankings/matrix", element: <MatrixPage /> },
  ],
  messages: { zh, en },
};
