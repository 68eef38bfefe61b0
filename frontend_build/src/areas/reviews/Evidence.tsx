// An indicator's evidence files as download links (name and size).
import { PaperClipOutlined } from "@ant-design/icons";
import { Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../../format";
import type { EntryRow } from "./logic";

export function Evidence({ attachments }: { attachments: EntryRow["attachments"] }) {
  const { t, i18n } = useTranslation();
  if (attachments.length === 0) {
    return <Typography.Text type="secondary">{t("reviews.table.noEvidence")}</Typography.Text>;
  }
  return (
    <Space direction="vertical" size={0}>
      {attachments.map((a) => (
        <a key={a.id} href={a.downloadUrl} download={a.filename}>
          <PaperClipOutlined /> {a.filename}{" "}
          <Typography.Text type="secondary">
            ({formatNumber(Math.ceil(a.size / 1024), i18n.language)} KB)
          </Typography.Text>
        </a>
      ))}
    </Space>
  );
}
