// Compiled with `tsc --strict` against the types openapi-typescript generates from
// openapi/openapi.json (scripts/test): what a frontend writes first must type-check, with the
// request bodies holding only what is required.
import type { components, operations } from "./generated/styrkort";

type Schemas = components["schemas"];

export const unit: Schemas["OrgUnitCreate"] = {
  code: "SN",
  name: "Socialnämnden",
  kind: "committee",
  valid_from: "2023-01-01",
};

export const indicator: Schemas["IndicatorCreate"] = {
  title: "Nöjda brukare",
  code: "SN-NKI",
  unit: "percent",
  polarity: "higher_is_better",
  periodicity: "year",
  aggregation: "mean",
  valid_from_year: 2023,
};

export const target: Schemas["TargetWrite"] = { kind: "at_least", value: 80 };

export const measurement: Schemas["MeasurementWrite"] = {
  indicator_code: "SN-NKI",
  org_unit_code: "SN",
  period: "2023",
  value: 83,
};

export const batch: operations["measurements_batch"]["requestBody"]["content"]["application/json"] =
  [measurement];

export const goal: Schemas["GoalCreate"] = {
  title: "Trygg vård",
  level: "committee",
  code: "G1",
  owner_id: "00000000-0000-0000-0000-000000000000",
  valid_to_year: 2026,
  valid_from_year: 2023,
  rule: { kind: "share_of_indicators" },
  indicators: [{ indicator_id: "00000000-0000-0000-0000-000000000000" }],
};

export function ruleThreshold(goal: Schemas["GoalRead"]): number | null {
  return goal.rule.kind === "share_of_indicators" ? goal.rule.threshold : null;
}

export function problemDetail(problem: Schemas["ProblemDetails"]): string {
  return `${problem.status} ${problem.title}`;
}

export type ExportDocument = Schemas["ExportDocument"];
export type CsvExport = operations["exports_get"]["responses"][200]["content"]["text/csv; charset=utf-8"];
