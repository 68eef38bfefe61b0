// The matrix's cells as a reader sees them: a scored cell's percent and points on its band's
// colour, a missing one as a dash saying it was not filled in (never 0), a not-applicable one as
// N/A in grey, and an average with what it counted.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { MatrixCellFieldsFragment } from "../../gql/graphql";
import { setLanguage } from "../../i18n";
import { AverageCell, BandLegend, MatrixCellContent } from "./MatrixCells";

const column = {
  code: "2",
  title: "Hazards",
  maxPoints: "20.00",
  thresholds: { green: "90.00", yellow: "60.00" },
};

function cell(over: Partial<MatrixCellFieldsFragment>): MatrixCellFieldsFragment {
  return {
    column: "2",
    state: "SCORED",
    points: "12.00",
    maxPoints: "20.00",
    percentOfMax: "60.00",
    band: "YELLOW",
    figure: null,
    counted: 1,
    ...over,
  };
}

function show(value: MatrixCellFieldsFragment | undefined, onTrend = vi.fn()) {
  render(<MatrixCellContent cell={value} column={column} unit="Nanhu" region={false} onTrend={onTrend} />);
  return onTrend;
}

beforeAll(() => setLanguage("en"));
afterEach(cleanup);

describe("MatrixCellContent", () => {
  it("shows a scored cell's percent and points, and opens its trend from the keyboard", () => {
    const onTrend = show(cell({}));
    const button = screen.getByRole("button", { name: "Nanhu, 2 Hazards: 60%" });
    expect(button.textContent).toBe("60%12.00");
    expect(button.dataset.band).toBe("YELLOW");
    fireEvent.keyDown(button, { key: "Enter" });
    expect(onTrend).toHaveBeenCalledOnce();
  });

  it("shows a zero as a scored zero, in red", () => {
    show(cell({ points: "0.00", percentOfMax: "0.00", band: "RED" }));
    expect(screen.getByRole("button").textContent).toBe("0%0.00");
  });

  it("shows a missing cell as a dash, not as 0", () => {
    show(cell({ state: "MISSING", points: null, percentOfMax: null, band: null, counted: 0 }));
    const button = screen.getByRole("button", { name: "Nanhu, 2 Hazards: Missing" });
    expect(button.textContent).toBe("—");
    expect(button.dataset.state).toBe("MISSING");
  });

  it("shows a cell the API left out as missing too", () => {
    show(undefined);
    expect(screen.getByRole("button").textContent).toBe("—");
  });

  it("shows a not-applicable cell as N/A", () => {
    show(cell({ state: "NOT_APPLICABLE", points: null, percentOfMax: null, band: null, counted: 0 }));
    const button = screen.getByRole("button", { name: "Nanhu, 2 Hazards: N/A" });
    expect(button.textContent).toBe("N/A");
  });
});

describe("AverageCell", () => {
  it("bands the mean by the column's thresholds and says what it counted", () => {
    const { container } = render(
      <AverageCell
        percent="91.50"
        thresholds={column.thresholds}
        counted={4}
        missing={1}
        notApplicable={0}
      />,
    );
    expect(container.textContent).toBe("91.5%4 counted · 1 missing");
    expect(container.querySelector("[data-band]")?.getAttribute("data-band")).toBe("GREEN");
  });

  it("has no mean when nothing was counted", () => {
    const { container } = render(
      <AverageCell percent={null} thresholds={column.thresholds} counted={0} missing={0} notApplicable={5} />,
    );
    expect(container.textContent).toBe("N/A0 counted · 5 N/A");
    cleanup();
    const missing = render(
      <AverageCell percent={null} thresholds={column.thresholds} counted={0} missing={3} notApplicable={2} />,
    );
    expect(missing.container.textContent).toBe("—0 counted · 3 missing · 2 N/A");
  });
});

describe("BandLegend", () => {
  it("names each band with its range, and the missing and N/A looks", () => {
    const { container } = render(<BandLegend thresholds={column.thresholds} />);
    expect(container.textContent).toContain("Green ≥ 90%");
    expect(container.textContent).toContain("Yellow ≥ 60%");
    expect(container.textContent).toContain("Red < 60%");
    expect(container.textContent).toContain("— Missing");
    expect(container.textContent).toContain("N/A");
  });
});
