// The bands fields as a person uses them: labelled inputs for every level and per level, the
// API's problems beside the threshold they name, a level added from the top, a row removed.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { setLanguage } from "../../i18n";
import { BandsFields } from "./BandsFields";
import { EditorContext } from "./Field";
import type { BandsDraft } from "./model";

const BANDS: BandsDraft = {
  green: "90",
  yellow: "60",
  levels: [{ level: "COUNTY", green: "95", yellow: "70" }],
};

function show(bands: BandsDraft, onChange = vi.fn(), problems = new Map<string, string[]>(), readOnly = false) {
  render(
    <EditorContext.Provider value={{ problems, readOnly }}>
      <BandsFields bands={bands} path="content.bands" disabled={readOnly} onChange={onChange} />
    </EditorContext.Provider>,
  );
  return onChange;
}

beforeAll(() => setLanguage("en"));
afterEach(cleanup);

describe("BandsFields", () => {
  it("shows the default and each level's thresholds, and passes edits on", () => {
    const onChange = show(BANDS);
    const greens = screen.getAllByLabelText(/Green from/);
    expect(greens.map((input) => (input as HTMLInputElement).value)).toEqual(["90", "95"]);
    fireEvent.change(greens[0], { target: { value: "92.5" } });
    expect(onChange).toHaveBeenLastCalledWith({ ...BANDS, green: "92.5" });
    fireEvent.change(screen.getAllByLabelText(/Yellow from/)[1], { target: { value: "71" } });
    expect(onChange).toHaveBeenLastCalledWith({ ...BANDS, levels: [{ level: "COUNTY", green: "95", yellow: "71" }] });
  });

  it("adds the first level without thresholds, and removes a row", () => {
    const onChange = show(BANDS);
    fireEvent.click(screen.getByRole("button", { name: /Set a level's own thresholds/ }));
    expect(onChange).toHaveBeenLastCalledWith({
      ...BANDS,
      levels: [...BANDS.levels, { level: "PROVINCE", green: "", yellow: "" }],
    });
    fireEvent.click(screen.getByRole("button", { name: "Remove this row 1" }));
    expect(onChange).toHaveBeenLastCalledWith({ ...BANDS, levels: [] });
  });

  it("shows the API's problem beside the threshold it names", () => {
    show(BANDS, vi.fn(), new Map([["content.bands.levels[0].yellow", ["the yellow threshold 70 is above the green one 60"]]]));
    expect(screen.getByText("the yellow threshold 70 is above the green one 60")).toBeTruthy();
  });

  it("is read only when the editor is", () => {
    show(BANDS, vi.fn(), new Map(), true);
    expect(screen.getAllByLabelText(/Green from/).every((input) => (input as HTMLInputElement).disabled)).toBe(true);
    expect(screen.queryByRole("button", { name: /Set a level's own thresholds/ })).toBeNull();
  });
});
