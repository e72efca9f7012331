/** One row of the Compare Runs params table: a param's value in each run (undefined: not logged). */
export interface ParamRow {
  key: string;
  values: Array<string | undefined>;
  /** The runs do not all have the same value (a run without the param counts as different). */
  differs: boolean;
}

/** The params of several runs side by side, keys in alphabetical order. */
export function compareParams(runs: ReadonlyArray<Record<string, string>>): ParamRow[] {
  const keys = [...new Set(runs.flatMap((params) => Object.keys(params)))].sort();
  return keys.map((key) => {
    const values = runs.map((params) => (Object.hasOwn(params, key) ? params[key] : undefined));
    return { key, values, differs: values.some((v) => v !== values[0]) };
  });
}
