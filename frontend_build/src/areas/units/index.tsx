// The units area: the unit tree, search and a unit's details for everyone; admins' changes.
import { ApartmentOutlined } from "@ant-design/icons";
import type { Area } from "../area";
import { en, zh } from "./messages";
import { UnitsPage } from "./UnitsPage";

export const area: Area = {
  key: "units",
  menu: [{ path: "/units", label: "units.menu", icon: <ApartmentOutlined /> }],
  routes: [{ path: "units", element: <UnitsPage /> }],
  messages: { zh, en },
};
