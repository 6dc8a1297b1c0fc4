import { ComboboxOption, InlineField, MultiCombobox } from '@grafana/ui';
import React, { useCallback, useLayoutEffect, useRef, useState } from 'react';

/** One label width for every row of the query and variable editors, so rows line up. */
export const LABEL_WIDTH = 12;
/** The pickers' width (grid units), the same in both editors. */
export const PICKER_WIDTH = 24;

const VARIABLE_DESCRIPTION = 'Dashboard variable';

interface Props {
  label: string;
  tooltip: string;
  /** The field's entries (values and $variables). */
  entries: string[];
  /**
   * The values to offer; called when the menu opens, again only when `loadKey` changes (a
   * picker's search filters the loaded list instead of asking Prometheus per keystroke).
   */
  load: () => Promise<string[]>;
  loadKey: string;
  /** `$name` of each dashboard variable, offered first. */
  variables: string[];
  onChange: (entries: string[]) => void;
  testId: string;
  placeholder?: string;
}

/**
 * A multi-select of a filter's values and the dashboard's variables; a value that is not listed
 * (a variable typed by hand, an object not there yet) can be entered as typed.
 */
export function FilterPicker({
  label,
  tooltip,
  entries,
  load,
  loadKey,
  variables,
  onChange,
  testId,
  placeholder,
}: Props) {
  const loaded = useRef<{ key: string; values: Promise<string[]> } | undefined>(undefined);
  // Why the last load failed (Prometheus down, a timeout…), shown under the field: the picker's
  // own "An error occurred while loading options" does not say what to fix.
  const [loadError, setLoadError] = useState<string>();
  // The newest loader, without a new options function (and a new Combobox load) per render.
  const loader = useRef(load);
  useLayoutEffect(() => {
    loader.current = load;
  });
  const options = useCallback(
    async (input: string): Promise<Array<ComboboxOption<string>>> => {
      if (loaded.current?.key !== loadKey) {
        const values = loader.current();
        loaded.current = { key: loadKey, values };
        // A failed load is asked again on the next open.
        values.catch(() => loaded.current?.values === values && (loaded.current = undefined));
      }
      try {
        const values = await loaded.current.values;
        setLoadError(undefined);
        return optionsOf(variables, values, input);
      } catch (error) {
        setLoadError(error instanceof Error ? error.message : String(error));
        throw error;
      }
    },
    [loadKey, variables]
  );
  return (
    <InlineField label={label} labelWidth={LABEL_WIDTH} tooltip={tooltip} invalid={!!loadError} error={loadError}>
      <MultiCombobox<string>
        data-testid={testId}
        width="auto"
        minWidth={PICKER_WIDTH}
        maxWidth={60}
        placeholder={placeholder ?? 'any'}
        options={options}
        value={entries}
        createCustomValue
        isClearable
        onChange={(selected) => onChange(selected.map((o) => o.value))}
      />
    </InlineField>
  );
}

/** Variables first, then values; those containing the search text (case-insensitive). */
export function optionsOf(
  variables: readonly string[],
  values: readonly string[],
  input = ''
): Array<ComboboxOption<string>> {
  const search = input.trim().toLowerCase();
  const matches = (v: string) => search === '' || v.toLowerCase().includes(search);
  return [
    ...variables.filter(matches).map((value) => ({ value, description: VARIABLE_DESCRIPTION })),
    ...values.filter((v) => matches(v) && !variables.includes(v)).map((value) => ({ value })),
  ];
}
