/**
 * Form controls laid out like rows of VS Code's settings editor: a bold label, a description,
 * the control, and an error message under it. Every control has a label; errors are linked
 * with aria-describedby, marked aria-invalid, and live regions read them out.
 */
import * as l10n from '@vscode/l10n';
import { h, icon } from './dom';

export interface Field {
  readonly id: string;
  /** The label, for the list of fields that need attention. */
  readonly label: string;
  readonly root: HTMLElement;
  focus(): void;
  setError(message: string | undefined): void;
  setVisible(visible: boolean): void;
}

interface RowParts {
  root: HTMLElement;
  label: HTMLElement;
  description: HTMLElement;
  control: HTMLElement;
  errorRegion: HTMLElement;
}

function row(id: string, label: string, description: string | Node | undefined, grouped: boolean): RowParts {
  const labelElement = grouped
    ? h('legend', { class: 'setting-label', id: `${id}-label` }, label)
    : h('label', { class: 'setting-label', id: `${id}-label`, for: id }, label);
  const descriptionElement = h('div', { class: 'setting-description', id: `${id}-description` }, description ?? '');
  descriptionElement.hidden = description === undefined;
  const control = h('div', { class: 'setting-control' });
  // Always in the page (empty when fine), so screen readers announce a message when it appears.
  const errorRegion = h('div', { class: 'setting-error-region', id: `${id}-error`, 'aria-live': 'polite' });
  const root = h(grouped ? 'fieldset' : 'div', { class: 'setting', id: `${id}-row` }, labelElement, descriptionElement, control, errorRegion);
  return { root, label: labelElement, description: descriptionElement, control, errorRegion };
}

function describedBy(id: string, hasDescription: boolean): string {
  return hasDescription ? `${id}-description ${id}-error` : `${id}-error`;
}

function errorSetter(parts: RowParts, invalidTargets: () => HTMLElement[]): (message: string | undefined) => void {
  let shown: string | undefined;
  return (message) => {
    if (message === shown) return;
    shown = message;
    parts.errorRegion.replaceChildren(...(message ? [h('div', { class: 'setting-error' }, icon('error'), h('span', {}, message))] : []));
    parts.root.classList.toggle('invalid', message !== undefined);
    for (const target of invalidTargets()) {
      if (message) target.setAttribute('aria-invalid', 'true');
      else target.removeAttribute('aria-invalid');
    }
  };
}

export interface TextFieldOptions {
  id: string;
  label: string;
  description?: string | Node;
  value: string;
  placeholder?: string;
  secret?: boolean;
  monospace?: boolean;
  /** Input hint for on-screen keyboards and autofill; secrets never autofill. */
  autocomplete?: string;
  /** A datalist of suggestions. */
  suggestions?: string[];
  size?: 'short' | 'medium' | 'long';
  onInput(value: string): void;
}

export interface TextField extends Field {
  readonly input: HTMLInputElement;
  setValue(value: string): void;
  setLabel(label: string, description?: string): void;
  setSuggestions(values: string[]): void;
  /** Extra controls after the input (e.g. "Choose File…"). */
  readonly actions: HTMLElement;
}

export function textField(o: TextFieldOptions): TextField {
  const parts = row(o.id, o.label, o.description, false);
  const input = h('input', {
    id: o.id, type: o.secret ? 'password' : 'text', class: `input ${o.size ?? 'medium'}${o.monospace ? ' monospace' : ''}`,
    placeholder: o.placeholder, autocomplete: o.secret ? 'off' : (o.autocomplete ?? 'off'), spellcheck: 'false',
    'aria-describedby': describedBy(o.id, o.description !== undefined),
  });
  input.value = o.value;
  input.addEventListener('input', () => o.onInput(input.value));
  const actions = h('div', { class: 'input-actions' });
  const wrapper = h('div', { class: 'input-row' }, input, actions);
  let datalist: HTMLDataListElement | undefined;
  const setSuggestions = (values: string[]): void => {
    if (!datalist) {
      datalist = h('datalist', { id: `${o.id}-suggestions` });
      input.setAttribute('list', datalist.id);
      wrapper.append(datalist);
    }
    datalist.replaceChildren(...values.map((v) => h('option', { value: v })));
  };
  if (o.suggestions) setSuggestions(o.suggestions);
  if (o.secret) {
    // A toggle button keeps its name; aria-pressed says whether the value is shown.
    const reveal = h('button', { type: 'button', class: 'icon-button', 'aria-label': l10n.t('Show {0}', o.label), 'aria-pressed': 'false', title: l10n.t('Show') }, icon('eye'));
    reveal.addEventListener('click', () => {
      const showing = input.type === 'text';
      input.type = showing ? 'password' : 'text';
      reveal.setAttribute('aria-pressed', String(!showing));
      reveal.title = showing ? l10n.t('Show') : l10n.t('Hide');
      reveal.replaceChildren(icon(showing ? 'eye' : 'eye-closed'));
    });
    actions.append(reveal);
  }
  parts.control.append(wrapper);
  const label = { text: o.label };
  return {
    id: o.id,
    get label() {
      return label.text;
    },
    root: parts.root,
    input,
    actions,
    focus: () => input.focus(),
    setError: errorSetter(parts, () => [input]),
    setVisible: (visible) => {
      parts.root.hidden = !visible;
    },
    setValue: (value) => {
      if (input.value !== value) input.value = value;
    },
    setLabel: (text, description) => {
      label.text = text;
      parts.label.textContent = text;
      if (description !== undefined) {
        parts.description.textContent = description;
        parts.description.hidden = false;
      }
    },
    setSuggestions,
  };
}

export interface TextAreaField extends Field {
  setValue(value: string): void;
}

export function textAreaField(o: { id: string; label: string; description?: string; value: string; placeholder?: string; onInput(value: string): void }): TextAreaField {
  const parts = row(o.id, o.label, o.description, false);
  const area = h('textarea', {
    id: o.id, class: 'input long', rows: '3', placeholder: o.placeholder, spellcheck: 'true',
    'aria-describedby': describedBy(o.id, o.description !== undefined),
  });
  area.value = o.value;
  area.addEventListener('input', () => o.onInput(area.value));
  parts.control.append(area);
  return {
    id: o.id, label: o.label, root: parts.root,
    focus: () => area.focus(),
    setError: errorSetter(parts, () => [area]),
    setVisible: (visible) => {
      parts.root.hidden = !visible;
    },
    setValue: (value) => {
      if (area.value !== value) area.value = value;
    },
  };
}

export interface SelectOption {
  value: string;
  label: string;
}

export interface SelectField extends Field {
  readonly select: HTMLSelectElement;
  setOptions(options: SelectOption[], value: string, placeholder?: string): void;
  setValue(value: string): void;
  setNote(note: string | undefined): void;
}

export function selectField(o: {
  id: string; label: string; description?: string; options: SelectOption[]; value: string; placeholder?: string; onChange(value: string): void;
}): SelectField {
  const parts = row(o.id, o.label, o.description, false);
  const select = h('select', { id: o.id, class: 'select', 'aria-describedby': `${describedBy(o.id, o.description !== undefined)} ${o.id}-note` });
  select.addEventListener('change', () => o.onChange(select.value));
  const note = h('div', { class: 'setting-note', id: `${o.id}-note` });
  note.hidden = true;
  parts.control.append(select, note);
  const setOptions = (options: SelectOption[], value: string, placeholder?: string): void => {
    const items = placeholder !== undefined ? [{ value: '', label: placeholder }, ...options] : options;
    select.replaceChildren(...items.map((opt) => h('option', { value: opt.value }, opt.label)));
    select.value = items.some((i) => i.value === value) ? value : (items[0]?.value ?? '');
  };
  setOptions(o.options, o.value, o.placeholder);
  return {
    id: o.id, label: o.label, root: parts.root, select,
    focus: () => select.focus(),
    setError: errorSetter(parts, () => [select]),
    setVisible: (visible) => {
      parts.root.hidden = !visible;
    },
    setOptions,
    setValue: (value) => {
      if (select.value !== value) select.value = value;
    },
    setNote: (text) => {
      note.textContent = text ?? '';
      note.hidden = !text;
    },
  };
}

export interface Choice<T extends string> {
  value: T;
  label: string;
  description?: string;
  icon?: string;
}

export interface RadioField<T extends string> extends Field {
  setValue(value: T): void;
  /** Replaces the choices (e.g. the authentications a storage type allows). */
  setChoices(choices: Array<Choice<T>>, value: T): void;
  /** Greys a choice out, with the reason as its description. */
  setDisabled(value: T, reason: string | undefined): void;
}

/** A radio group: `cards` side by side with an icon, or a `list` one under the other. */
export function radioField<T extends string>(o: {
  id: string; label: string; description?: string; choices: Array<Choice<T>>; value: T; layout: 'cards' | 'list'; onChange(value: T): void;
}): RadioField<T> {
  const parts = row(o.id, o.label, o.description, true);
  parts.root.setAttribute('aria-describedby', describedBy(o.id, o.description !== undefined));
  const group = h('div', { class: `choices ${o.layout}` });
  parts.control.append(group);
  let inputs: HTMLInputElement[] = [];
  const descriptions = new Map<string, HTMLElement>();
  const setChoices = (choices: Array<Choice<T>>, value: T): void => {
    descriptions.clear();
    inputs = [];
    group.replaceChildren(...choices.map((choice) => {
      const inputId = `${o.id}-${choice.value}`;
      // Named by its label alone; the description is read after it.
      const input = h('input', {
        type: 'radio', name: o.id, id: inputId, value: choice.value, class: 'radio', 'aria-labelledby': `${inputId}-label`,
        'aria-describedby': choice.description ? `${inputId}-description` : undefined,
      });
      input.checked = choice.value === value;
      input.addEventListener('change', () => {
        if (input.checked) o.onChange(choice.value);
      });
      inputs.push(input);
      const description = choice.description ? h('span', { class: 'choice-description', id: `${inputId}-description` }, choice.description) : undefined;
      if (description) descriptions.set(choice.value, description);
      return h('label', { class: 'choice', for: inputId },
        input,
        choice.icon ? icon(choice.icon) : undefined,
        h('span', { class: 'choice-text' }, h('span', { class: 'choice-label', id: `${inputId}-label` }, choice.label), description));
    }));
  };
  setChoices(o.choices, o.value);
  const original = new Map(o.choices.map((c) => [c.value as string, c.description ?? '']));
  return {
    id: o.id, label: o.label, root: parts.root,
    focus: () => (inputs.find((i) => i.checked) ?? inputs[0])?.focus(),
    setError: errorSetter(parts, () => inputs),
    setVisible: (visible) => {
      parts.root.hidden = !visible;
    },
    setValue: (value) => {
      for (const input of inputs) input.checked = input.value === value;
    },
    setChoices: (choices, value) => {
      for (const c of choices) original.set(c.value, c.description ?? '');
      setChoices(choices, value);
    },
    setDisabled: (value, reason) => {
      const input = inputs.find((i) => i.value === value);
      if (!input) return;
      input.disabled = reason !== undefined;
      input.closest('.choice')?.classList.toggle('disabled', reason !== undefined);
      const description = descriptions.get(value);
      if (description) description.textContent = reason ?? original.get(value) ?? '';
    },
  };
}

export interface CheckboxField extends Field {
  setChecked(checked: boolean): void;
}

export function checkboxField(o: { id: string; label: string; description: string; checked: boolean; onChange(checked: boolean): void }): CheckboxField {
  const input = h('input', { type: 'checkbox', id: o.id, class: 'checkbox', 'aria-describedby': `${o.id}-description` });
  input.checked = o.checked;
  input.addEventListener('change', () => o.onChange(input.checked));
  const root = h('div', { class: 'setting', id: `${o.id}-row` },
    h('div', { class: 'checkbox-row' }, input, h('label', { for: o.id, class: 'setting-label' }, o.label)),
    h('div', { class: 'setting-description checkbox-description', id: `${o.id}-description` }, o.description));
  return {
    id: o.id, label: o.label, root,
    focus: () => input.focus(),
    setError: () => undefined,
    setVisible: (visible) => {
      root.hidden = !visible;
    },
    setChecked: (checked) => {
      input.checked = checked;
    },
  };
}

export interface TagRowValue {
  key: string;
  value: string;
}

export interface TagsField extends Field {
  setRows(rows: TagRowValue[]): void;
}

/** Name/value rows with "Add Tag", like the settings editor's editor for string maps. */
export function tagsField(o: { id: string; label: string; description: string; rows: TagRowValue[]; onChange(rows: TagRowValue[]): void }): TagsField {
  const parts = row(o.id, o.label, o.description, true);
  parts.root.setAttribute('aria-describedby', describedBy(o.id, true));
  const list = h('div', { class: 'tag-list' });
  const add = button({ label: l10n.t('Add Tag'), icon: 'add', kind: 'secondary', id: `${o.id}-add` });
  parts.control.append(list, add);
  let rows: TagRowValue[] = o.rows.map((r) => ({ ...r }));
  let inputs: HTMLInputElement[] = [];

  const render = (focusIndex?: number): void => {
    inputs = [];
    list.replaceChildren(...rows.map((tag, index) => {
      const n = index + 1;
      const key = h('input', { type: 'text', class: 'input tag-key', placeholder: l10n.t('Name'), 'aria-label': l10n.t('Tag {0} name', n), spellcheck: 'false', autocomplete: 'off' });
      const value = h('input', { type: 'text', class: 'input tag-value', placeholder: l10n.t('Value'), 'aria-label': l10n.t('Tag {0} value', n), spellcheck: 'false', autocomplete: 'off' });
      key.value = tag.key;
      value.value = tag.value;
      key.addEventListener('input', () => {
        rows[index] = { key: key.value, value: rows[index]!.value };
        o.onChange(rows.map((r) => ({ ...r })));
      });
      value.addEventListener('input', () => {
        rows[index] = { key: rows[index]!.key, value: value.value };
        o.onChange(rows.map((r) => ({ ...r })));
      });
      const remove = h('button', { type: 'button', class: 'icon-button', 'aria-label': l10n.t('Remove tag {0}', n), title: l10n.t('Remove') }, icon('close'));
      remove.addEventListener('click', () => {
        rows.splice(index, 1);
        o.onChange(rows.map((r) => ({ ...r })));
        render(Math.min(index, rows.length - 1));
      });
      inputs.push(key, value);
      return h('div', { class: 'tag-row' }, key, h('span', { class: 'tag-separator', 'aria-hidden': 'true' }, '='), value, remove);
    }));
    if (focusIndex !== undefined) {
      if (focusIndex >= 0 && inputs[focusIndex * 2]) inputs[focusIndex * 2]!.focus();
      else add.focus();
    }
  };
  add.addEventListener('click', () => {
    rows.push({ key: '', value: '' });
    o.onChange(rows.map((r) => ({ ...r })));
    render(rows.length - 1);
  });
  render();
  return {
    id: o.id, label: o.label, root: parts.root,
    focus: () => (inputs[0] ?? add).focus(),
    setError: errorSetter(parts, () => inputs),
    setVisible: (visible) => {
      parts.root.hidden = !visible;
    },
    setRows: (next) => {
      rows = next.map((r) => ({ ...r }));
      render();
    },
  };
}

export function button(o: { label: string; icon?: string; kind: 'primary' | 'secondary'; id?: string; type?: 'button' | 'submit' }): HTMLButtonElement {
  return h('button', { type: o.type ?? 'button', class: `button ${o.kind}`, id: o.id }, o.icon ? icon(o.icon) : undefined, h('span', {}, o.label));
}
