// A ledger row's history: who did what when, from what to what, with the note and files.
import { Timeline, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatDate } from "../../format";
import type { LedgerEventFieldsFragment } from "../../gql/graphql";

export function LedgerHistory({ events }: { events: readonly LedgerEventFieldsFragment[] }) {
  const { t, i18n } = useTranslation();
  return (
    <Timeline
      items={events.map((event, i) => ({
        key: i,
        content: (
          <div>
            <Typography.Text strong>{t(`ledgers.actions.${event.action}`, { defaultValue: event.action })}</Typography.Text>{" "}
            <Typography.Text type="secondary">
              {formatDate(event.at, i18n.language)} · {event.actor?.username ?? "—"}
            </Typography.Text>
            {(event.field || event.old || event.new) && (
              <div>
                {event.field && `${event.field}: `}
                {event.old ?? "—"} → {event.new ?? "—"}
              </div>
            )}
            {event.note && <div>{event.note}</div>}
            {event.files.map((file) => (
              <div key={file.id}>
                <a href={file.downloadUrl}>{file.filename}</a>
              </div>
            ))}
          </div>
        ),
      }))}
    />
  );
}
