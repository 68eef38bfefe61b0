// The lines the scoring engine wrote for an indicator: rule, input, what it did, signed points.
import { Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatPoints } from "../../format";

type Line = { rule: string; input: string; text: string; points: string; code: string };

export function ExplanationLines({ lines }: { lines: readonly Line[] }) {
  const { i18n } = useTranslation();
  return (
    <ul style={{ margin: "4px 0 0", paddingLeft: 20 }}>
      {lines.map((line, i) => (
        <li key={i}>
          <Typography.Text code>{line.rule}</Typography.Text>
          {line.input && <Typography.Text type="secondary"> {line.input} </Typography.Text>}
          <Typography.Text> {line.text} </Typography.Text>
          <Typography.Text strong type={Number(line.points) < 0 ? "danger" : undefined}>
            {Number(line.points) > 0 ? "+" : ""}
            {formatPoints(line.points, i18n.language)}
          </Typography.Text>
        </li>
      ))}
    </ul>
  );
}
