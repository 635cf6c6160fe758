import { useEffect, useState, type ReactNode } from 'react';
import { Confirm } from './Dialog';
import { Field } from './ui';

// Short forms of the labelled controls the resource pages repeat; each is a <Field> underneath.

export function TextField({
  label,
  value,
  onChange,
  hint,
  required,
  type = 'text',
  min,
  placeholder,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  hint?: string;
  required?: boolean;
  type?: string;
  min?: number;
  placeholder?: string;
}) {
  return (
    <Field label={label} hint={hint}>
      {(id, d) => (
        <input
          id={id}
          aria-describedby={d}
          type={type}
          min={min}
          placeholder={placeholder}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          required={required}
        />
      )}
    </Field>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField({
  label,
  value,
  onChange,
  options,
  placeholder,
  required,
  hint,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: Option[];
  placeholder?: string;
  required?: boolean;
  hint?: string;
}) {
  return (
    <Field label={label} hint={hint}>
      {(id, d) => (
        <select
          id={id}
          aria-describedby={d}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          required={required}
        >
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function CheckField({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
}) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {label}
    </label>
  );
}

/** The search box and filters above a list; typing narrows the list (CloudStack's `keyword`). */
export function Filters({
  keyword,
  onKeyword,
  label,
  children,
}: {
  keyword: string;
  onKeyword: (v: string) => void;
  label: string;
  children?: ReactNode;
}) {
  const [text, setText] = useState(keyword);
  const settled = useDebounced(text, 300);
  useEffect(() => {
    if (settled !== keyword) onKeyword(settled);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled]);
  // The URL changed under the box (Back, a link with ?keyword=): show what the list is filtered by.
  useEffect(() => {
    if (keyword !== settled) setText(keyword);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [keyword]);
  return (
    <div className="filters" role="search" aria-label={`Filter ${label}`}>
      <Field label="Search">
        {(id) => (
          <input
            id={id}
            type="search"
            value={text}
            placeholder="Name or part of it"
            onChange={(e) => setText(e.target.value)}
          />
        )}
      </Field>
      {children}
    </div>
  );
}

/** A breadcrumb back to the list a detail page belongs to. */
export function Crumbs({ to, label }: { to: string; label: string }) {
  return (
    <nav className="crumbs" aria-label="Breadcrumb">
      <a href={to}>{label}</a> /
    </nav>
  );
}

/** Options from a list of { id, name }. */
export const optionsOf = (
  xs: { id: string; name: string }[] | undefined,
  label?: (x: { id: string; name: string }) => string,
): Option[] => (xs ?? []).map((x) => ({ value: x.id, label: label ? label(x) : x.name }));

export interface Ask {
  title: string;
  message: ReactNode;
  label: string;
  run: () => Promise<unknown>;
  danger?: boolean;
}

/** One "are you sure?" dialog for a page's many row actions: `ask` opens it, the action runs on confirm. */
export function useConfirm(): { ask: (a: Ask) => void; dialog: ReactNode } {
  const [a, setA] = useState<Ask>();
  const dialog = a && (
    <Confirm
      open
      title={a.title}
      message={a.message}
      confirmLabel={a.label}
      danger={a.danger ?? true}
      onClose={() => setA(undefined)}
      onConfirm={a.run}
    />
  );
  return { ask: setA, dialog };
}

/** `value`, once it has stopped changing for `ms`: a search box asks the server once per pause, not per key. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}
