// Colour bands of a template or an item: the green and yellow thresholds for every level, and
// rows of thresholds for single levels, as percents of the maximum.
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Col, Input, Row, Select, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { TenantLevel } from "../../gql/graphql";
import { Field, domId, useEditor } from "./Field";
import { LEVELS } from "../../kinds";
import { type BandsDraft, type LevelBandsDraft, nextLevel } from "./model";

type Props = {
  bands: BandsDraft;
  /** Its API path, e.g. content.bands or content.items[0].bands. */
  path: string;
  disabled: boolean;
  onChange: (bands: BandsDraft) => void;
};

export function BandsFields({ bands, path, disabled, onChange }: Props) {
  const { t } = useTranslation();
  const { problems } = useEditor();
  const setLevel = (i: number, patch: Partial<LevelBandsDraft>) =>
    onChange({ ...bands, levels: bands.levels.map((l, j) => (j === i ? { ...l, ...patch } : l)) });
  const percent = (p: string, label: string, value: string, set: (v: string) => void) => (
    <Field path={p} id={domId(p)} label={label}>
      <Input id={domId(p)} inputMode="decimal" suffix="%" disabled={disabled} value={value} onChange={(e) => set(e.target.value)} />
    </Field>
  );
  const free = nextLevel(bands);
  const own = [...(problems.get(path) ?? []), ...(problems.get(`${path}.levels`) ?? [])];

  return (
    <>
      {own.length > 0 && <Typography.Text type="danger">{own.join(" · ")}</Typography.Text>}
      <Row gutter={12}>
        <Col xs={12} md={8}>
          {percent(`${path}.green`, t("templates.editor.bandsGreen"), bands.green, (green) => onChange({ ...bands, green }))}
        </Col>
        <Col xs={12} md={8}>
          {percent(`${path}.yellow`, t("templates.editor.bandsYellow"), bands.yellow, (yellow) => onChange({ ...bands, yellow }))}
        </Col>
      </Row>
      {bands.levels.map((l, i) => {
        const p = `${path}.levels[${i}]`;
        return (
          <Row key={i} gutter={12} align="bottom">
            <Col xs={24} md={8}>
              <Field
                path={`${p}.level`}
                id={domId(`${p}.level`)}
                label={`${t("templates.editor.row", { n: i + 1 })} ${t("templates.editor.bandsLevel")}`}
              >
                <Select<TenantLevel>
                  id={domId(`${p}.level`)}
                  disabled={disabled}
                  value={l.level}
                  onChange={(level) => setLevel(i, { level })}
                  options={LEVELS.map((level) => ({
                    value: level,
                    label: t(`levels.${level}`),
                    disabled: level !== l.level && bands.levels.some((other) => other.level === level),
                  }))}
                />
              </Field>
            </Col>
            <Col xs={10} md={7}>
              {percent(`${p}.green`, t("templates.editor.bandsGreen"), l.green, (green) => setLevel(i, { green }))}
            </Col>
            <Col xs={10} md={7}>
              {percent(`${p}.yellow`, t("templates.editor.bandsYellow"), l.yellow, (yellow) => setLevel(i, { yellow }))}
            </Col>
            <Col xs={4} md={2}>
              <Button
                aria-label={`${t("templates.editor.removeRow")} ${i + 1}`}
                icon={<DeleteOutlined />}
                disabled={disabled}
                style={{ marginBottom: 24 }}
                onClick={() => onChange({ ...bands, levels: bands.levels.filter((_, j) => j !== i) })}
              />
            </Col>
          </Row>
        );
      })}
      {!disabled && free && (
        <Button
          icon={<PlusOutlined />}
          style={{ marginBottom: 16 }}
          onClick={() => onChange({ ...bands, levels: [...bands.levels, { level: free, green: "", yellow: "" }] })}
        >
          {t("templates.editor.addBandsLevel")}
        </Button>
      )}
    </>
  );
}
