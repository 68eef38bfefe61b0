// The assessments area: the self-assessment list and the form of one assessment.
import { FormOutlined } from "@ant-design/icons";
import type { Area } from "../area";
import { AssessmentFormPage } from "./AssessmentFormPage";
import { AssessmentListPage } from "./AssessmentListPage";
import { en, zh } from "./messages";

export const area: Area = {
  key: "assessments",
  menu: [
    {
      path: "/assessments",
      label: "assessments.menu",
      icon: <FormOutlined />,
      roles: ["SUBMITTER", "ASSESSOR", "ADMIN", "VIEWER"],
    },
  ],
  routes: [
    { path: "assessments", element: <AssessmentListPage /> },
    { path: "assessments/:id", element: <AssessmentFormPage /> },
  ],
  messages: { zh, en },
};
