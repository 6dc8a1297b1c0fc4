import React, { useState } from 'react';

import { StandardEditorProps } from '@grafana/data';
import { Field, Input } from '@grafana/ui';

import { parseThreshold } from '../threshold';

/**
 * "Failing longer than": a duration (the core's parseDuration: 10m, 1h30m, 1.5h), validated as
 * typed. Dashboard variables are accepted here and checked by the panel once interpolated.
 */
export function ThresholdEditor({ value, onChange, id }: StandardEditorProps<string>) {
  const [text, setText] = useState(value ?? '');
  const hasVariable = text.includes('$');
  const { error } = hasVariable ? { error: undefined } : parseThreshold(text);
  return (
    <Field invalid={Boolean(error)} error={error} noMargin>
      <Input
        id={id}
        value={text}
        placeholder="10m (empty: off)"
        invalid={Boolean(error)}
        onChange={(event) => setText(event.currentTarget.value)}
        onBlur={() => onChange(text.trim())}
      />
    </Field>
  );
}
