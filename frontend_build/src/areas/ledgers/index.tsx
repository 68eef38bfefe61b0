// The ledgers area: its routes, menu entries and words.
import type { Area } from "../area";

export const area: Area = {
  key: "ledgers",
  menu: [],
  routes: [],
  messages: { zh: {}, en: {} },
};
