// The reports area: the printed reports for everyone signed in, and the province's report
// letterhead for the province's admins.
import { FileProtectOutlined, FilePdfOutlined } from "@ant-design/icons";
import type { Area } from "../area";
import { LetterheadPage } from "./LetterheadPage";
import { isProvinceAdmin } from "./logic";
import { en, zh } from "./messages";
import { ReportsPage } from "./ReportsPage";

export const area: Area = {
  key: "reports",
  menu: [
    { path: "/reports", label: "reports.menu", icon: <FilePdfOutlined /> },
    {
      path: "/reports/letterhead",
      label: "reports.letterheadPage.menu",
      icon: <FileProtectOutlined />,
      roles: ["ADMIN"],
      when: isProvinceAdmin,
    },
  ],
  routes: [
    { path: "reports", element: <ReportsPage /> },
    { path: "reports/letterhead", element: <LetterheadPage /> },
  ],
  messages: { zh, en },
};
