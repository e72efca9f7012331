/**
 * The frame of a registration form: title, sections, the status line, the buttons, and the
 * rules for when an error shows (a field the user has edited, or every field after a submit).
 */
import * as l10n from '@vscode/l10n';
import type { StatusKind } from '../forms/protocol';
import { h, icon } from './dom';
import { button, type Field } from './fields';

export class FormShell {
  readonly root: HTMLFormElement;
  private readonly body: HTMLElement;
  private readonly statusRegion: HTMLElement;
  private readonly alertRegion: HTMLElement;
  private readonly busyRegion: HTMLElement;
  readonly primary: HTMLButtonElement;
  private readonly buttons: HTMLButtonElement[] = [];
  private readonly actions: HTMLElement;

  constructor(o: { title: string; icon: string; subtitle: Node | string; primaryLabel: string; onSubmit(): void; onCancel(): void }) {
    this.primary = button({ label: o.primaryLabel, kind: 'primary', type: 'submit', id: 'submit' });
    const cancel = button({ label: l10n.t('Cancel'), kind: 'secondary', id: 'cancel' });
    cancel.addEventListener('click', () => o.onCancel());
    this.buttons.push(this.primary);
    this.actions = h('div', { class: 'form-actions' }, this.primary, cancel);
    this.statusRegion = h('div', { class: 'status-region', role: 'status', 'aria-live': 'polite' });
    this.alertRegion = h('div', { class: 'status-region', role: 'alert' });
    this.busyRegion = h('div', { class: 'busy-region', 'aria-live': 'polite' });
    this.body = h('div', { class: 'form-body' });
    this.root = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'form-title' },
      h('header', { class: 'form-header' },
        h('h1', { id: 'form-title' }, icon(o.icon), h('span', {}, o.title)),
        h('p', { class: 'form-subtitle' }, o.subtitle)),
      this.body,
      h('div', { class: 'form-footer' }, this.busyRegion, this.statusRegion, this.alertRegion, this.actions));
    this.root.addEventListener('submit', (event) => {
      event.preventDefault();
      o.onSubmit();
    });
  }

  /** A section with a heading; its fields are appended to the returned element. */
  section(title: string, description?: string): HTMLElement {
    const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    const section = h('section', { class: 'form-section', 'aria-labelledby': id },
      h('h2', { id }, title),
      description ? h('p', { class: 'section-description' }, description) : undefined);
    this.body.append(section);
    return section;
  }

  /** A secondary button placed before Cancel. */
  addAction(label: string, iconName: string, onClick: () => void): HTMLButtonElement {
    const b = button({ label, icon: iconName, kind: 'secondary', id: label.toLowerCase().replace(/[^a-z0-9]+/g, '-') });
    b.addEventListener('click', onClick);
    this.actions.insertBefore(b, this.actions.lastElementChild);
    this.buttons.push(b);
    return b;
  }

  /** Work under way: the buttons wait and the message shows with a spinner. */
  setBusy(message: string | undefined): void {
    this.root.setAttribute('aria-busy', String(message !== undefined));
    for (const b of this.buttons) b.disabled = message !== undefined;
    this.busyRegion.replaceChildren(...(message ? [h('div', { class: 'busy' }, h('span', { class: 'codicon codicon-loading codicon-modifier-spin', 'aria-hidden': 'true' }), h('span', {}, message))] : []));
  }

  /** One sentence under the form; errors go to an alert region so screen readers read them at once. */
  showStatus(kind: StatusKind | undefined, message?: string): void {
    this.statusRegion.replaceChildren();
    this.alertRegion.replaceChildren();
    if (!kind || !message) return;
    const iconName = kind === 'error' ? 'error' : kind === 'success' ? 'pass' : 'info';
    const line = h('div', { class: `status ${kind}` }, icon(iconName), h('span', { class: 'status-text' }, message));
    (kind === 'error' ? this.alertRegion : this.statusRegion).append(line);
  }
}

/**
 * Which errors show: the rules' errors for fields the user has edited (or all of them after
 * a submit), and the host's errors until the user edits that field again.
 */
export class ErrorDisplay<F extends string> {
  private readonly touched = new Set<F>();
  private hostErrors: Partial<Record<F, string>> = {};
  private showAll = false;

  constructor(private readonly fields: () => Array<[F, Field]>) {}

  edited(field: F): void {
    this.touched.add(field);
    delete this.hostErrors[field];
  }

  get editedFields(): F[] {
    return [...this.touched];
  }

  restoreEdited(fields: readonly F[]): void {
    for (const f of fields) this.touched.add(f);
  }

  revealAll(): void {
    this.showAll = true;
  }

  setHostErrors(errors: Partial<Record<F, string>>): void {
    this.hostErrors = { ...errors };
    this.showAll = true;
  }

  /** Shows what applies; answers the visible fields that have an error, in page order. */
  render(ruleErrors: Partial<Record<F, string>>): Field[] {
    const invalid: Field[] = [];
    for (const [name, field] of this.fields()) {
      const visible = !field.root.hidden;
      const message = this.hostErrors[name] ?? ((this.showAll || this.touched.has(name)) ? ruleErrors[name] : undefined);
      field.setError(visible ? message : undefined);
      if (visible && message) invalid.push(field);
    }
    return invalid;
  }

  /**
   * The rules' errors regardless of what was edited: what stops a submit in the webview. The
   * host's errors (a container that does not exist, a refused key) still show, but do not
   * block: the storage or the service may have changed, and the host checks again anyway.
   */
  blocking(ruleErrors: Partial<Record<F, string>>): Field[] {
    return this.fields().filter(([name, field]) => !field.root.hidden && ruleErrors[name]).map(([, f]) => f);
  }
}

/** "2 fields need attention: Name, Account key." */
export function attentionSentence(prefix: string, fields: Field[]): string {
  const count = fields.length === 1 ? l10n.t('One field needs attention') : l10n.t('{0} fields need attention', fields.length);
  return `${prefix} ${count}: ${fields.map((f) => f.label).join(', ')}.`;
}
