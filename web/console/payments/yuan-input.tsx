import { Input } from 'antd';
import { type CSSProperties, type KeyboardEvent, useEffect, useState } from 'react';
import { fenToYuanText, parseYuan } from '../../shared/money';

type YuanInputProps = {
  /** Fen; undefined while the text is not an amount. */
  value: number | undefined;
  onChange: (fen: number | undefined) => void;
  /** What a blank box means, e.g. 0 for a discount; blank is invalid without it. */
  emptyValue?: number;
  'aria-label'?: string;
  id?: string;
  placeholder?: string;
  style?: CSSProperties;
  onKeyDown?: (event: KeyboardEvent<HTMLInputElement>) => void;
};

const toFen = (text: string, emptyValue: number | undefined): number | undefined => {
  if (text.trim() === '') return emptyValue;
  const fen = parseYuan(text);
  return fen !== undefined && fen >= 0 ? fen : undefined;
};

/** An amount typed in yuan ("1,280.5"), reported in fen, parsed from the text and never through floats. */
export const YuanInput = ({ value, onChange, emptyValue, onKeyDown, style, placeholder, id, 'aria-label': ariaLabel }: YuanInputProps) => {
  const [text, setText] = useState(value === undefined ? '' : fenToYuanText(value));

  // A value set from outside (a reset, "fill the rest") replaces the text; the user's own typing does not round-trip.
  useEffect(() => {
    setText((current) => (toFen(current, emptyValue) === value || value === undefined ? current : fenToYuanText(value)));
  }, [value, emptyValue]);

  const isInvalid = toFen(text, emptyValue) === undefined;
  return (
    <Input
      id={id}
      aria-label={ariaLabel}
      aria-invalid={isInvalid}
      status={isInvalid ? 'error' : undefined}
      inputMode="decimal"
      autoComplete="off"
      prefix="¥"
      placeholder={placeholder}
      style={style}
      value={text}
      onKeyDown={onKeyDown}
      onChange={(event) => {
        setText(event.target.value);
        onChange(toFen(event.target.value, emptyValue));
      }}
    />
  );
};
