// The reviews area: the review queue and one assessment's review (assessors above the unit;
// finalising for the office running the cycle).
import { AuditOutlined } from "@ant-design/icons";
import type { Area } from "../area";
import { en, zh } from "./messages";
import { ReviewPage } from "./ReviewPage";
import { ReviewQueuePage } from "./ReviewQueuePage";

export const area: Area = {
  key: "reviews",
  menu: [{ path: "reviews", label: "reviews.menu", icon: <AuditOutlined />, roles: ["ASSESSOR", "ADMIN"] }],
  routes: [
    { path: "reviews", element: <ReviewQueuePage /> },
    { path: "reviews/:id", element: <ReviewPage /> },
  ],
  messages: { zh, en },
};
