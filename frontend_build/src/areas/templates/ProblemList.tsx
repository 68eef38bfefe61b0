// What blocks publication (as of the last save) and what refused the last save, each with a
// link to the tree node it names.
import { Alert, Button, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { Problem } from "./tree";

type Props = {
  title: string;
  type: "error" | "warning";
  problems: readonly Problem[];
  note?: string;
  onShow: (field: string) => void;
};

export function ProblemList({ title, type, problems, note, onShow }: Props) {
  const { t } = useTranslation();
  if (problems.length === 0) return null;
  return (
    <Alert
      type={type}
      showIcon
      title={title}
      description={
        <>
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {problems.map((p, i) => (
              <li key={i}>
                <Typography.Text code>{p.field || t("templates.editor.general")}</Typography.Text> {p.message}
                {p.field?.includes("content.items[") && (
                  <Button type="link" size="small" onClick={() => onShow(p.field!)}>
                    {t("templates.editor.goto")}
                  </Button>
                )}
              </li>
            ))}
          </ul>
          {note && <Typography.Text type="secondary">{note}</Typography.Text>}
        </>
      }
    />
  );
}
