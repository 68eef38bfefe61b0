// The account area: every signed-in user's own password, second factor, browsers and API
// tokens. Reached from the header (it has no menu entry).
import type { Area } from "../area";
import { AccountPage } from "./AccountPage";
import { en, zh } from "./messages";

export const area: Area = {
  key: "account",
  menu: [],
  routes: [{ path: "account", element: <AccountPage /> }],
  messages: { zh, en },
};
