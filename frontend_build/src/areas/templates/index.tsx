// The templates area: the list of templates and the template editor, with their words.
import { FileTextOutlined } from "@ant-design/icons";
import type { Area } from "../area";
import { en } from "./messages.en";
import { zh } from "./messages.zh";
import { TemplateEditorPage } from "./TemplateEditorPage";
import { TemplatesPage } from "./TemplatesPage";

export const area: Area = {
  key: "templates",
  menu: [
    { path: "templates", label: "templates.menu", icon: <FileTextOutlined />, roles: ["TEMPLATE_AUTHOR", "ADMIN", "ASSESSOR"] },
  ],
  routes: [
    { path: "templates", element: <TemplatesPage /> },
    { path: "templates/:id", element: <TemplateEditorPage /> },
  ],
  messages: { zh, en },
};
