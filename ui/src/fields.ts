// Form controls bound to the wizard: label, control, message area (errors and warnings from
// the core) and help text, wired for screen readers (label for=, aria-describedby, aria-invalid).
import { h, icon, uid } from './dom';
import type { ScreenContext } from './screens/types';
import type { ErrorCode } from './api/error-codes';

export interface TextFieldOptions {
  path: string;
  label: string;
  help?: string | Node;
  placeholder?: string;
  get(): string;
  set(v: string): void;
  type?: 'text' | 'password';
  autocomplete?: string;
  inputmode?: 'text' | 'numeric' | 'url' | 'email';
  required?: boolean;
  mono?: boolean;
  size?: 'short' | 'medium' | 'full';
  /** Runs on blur (after touch). */
  onBlur?(value: string): void;
}

/** A text input with label, help and the core's issues displayed at it. */
export function textField(ctx: ScreenContext, o: TextFieldOptions): HTMLElement {
  const id = uid(o.path || 'field');
  const msgId = `${id}-msg`;
  const helpId = `${id}-help`;
  const input = h('input', {
    id,
    type: o.type ?? 'text',
    class: `input${o.mono ? ' mono' : ''} size-${o.size ?? 'full'}`,
    placeholder: o.placeholder,
    autocomplete: o.autocomplete ?? 'off',
    inputmode: o.inputmode,
    spellcheck: 'false',
    autocapitalize: 'off',
    'aria-describedby': `${msgId}${o.help ? ` ${helpId}` : ''}`,
    'aria-required': o.required ? 'true' : null,
    'data-path': o.path,
  });
  input.value = o.get();
  input.addEventListener('input', () => {
    o.set(input.value);
    ctx.changed();
  });
  input.addEventListener('blur', () => {
    ctx.touch(o.path);
    o.onBlur?.(input.value);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      o.set(input.value);
      void ctx.next();
    }
  });
  const msg = h('div', { id: msgId, class: 'field-msg', 'aria-live': 'polite' });
  const wrapper = h(
    'div',
    { class: 'field' },
    h('label', { for: id, class: 'label' }, o.label, o.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    input,
    msg,
    o.help ? h('p', { id: helpId, class: 'help' }, o.help) : null,
  );
  ctx.bind({ path: o.path, input, msg, wrapper });
  return wrapper;
}

export interface Choice {
  value: string;
  title: string;
  desc: string;
  icon?: string;
  badge?: string;
}

/** A group of radio cards (native radios: arrow keys move, Space selects, Enter continues). */
export function choiceCards(
  ctx: ScreenContext,
  o: { name: string; legend: string; path?: string; choices: Choice[]; get(): string; set(v: string): void },
): HTMLElement {
  const msg = h('div', { class: 'field-msg', 'aria-live': 'polite' });
  const cards = o.choices.map((c) => {
    const id = uid(`${o.name}-${c.value}`);
    const input = h('input', { type: 'radio', name: o.name, id, value: c.value, class: 'choice-radio', 'aria-describedby': `${id}-desc` });
    input.checked = o.get() === c.value;
    input.addEventListener('change', () => {
      if (input.checked) o.set(c.value);
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        if (!input.checked) {
          input.checked = true;
          o.set(c.value);
        }
        void ctx.next();
      }
    });
    return h(
      'label',
      { class: 'choice', for: id },
      input,
      h('span', { class: 'choice-icon' }, icon(c.icon ?? 'info')),
      h(
        'span',
        { class: 'choice-text' },
        h('span', { class: 'choice-title' }, c.title, c.badge ? h('span', { class: 'badge badge-accent' }, c.badge) : null),
        h('span', { class: 'choice-desc', id: `${id}-desc` }, c.desc),
      ),
      h('span', { class: 'choice-check' }, icon('check')),
    );
  });
  const fs = h('fieldset', { class: 'choices' }, h('legend', { class: 'label' }, o.legend), h('div', { class: 'choice-grid' }, cards), msg);
  if (o.path) {
    const first = fs.querySelector('input') as HTMLElement;
    ctx.bind({ path: o.path, input: first, msg, wrapper: fs });
  }
  return fs;
}

/** A native select with label and issues. */
export function selectField(
  ctx: ScreenContext,
  o: { path: string; label: string; help?: string; options: { value: string; label: string }[]; get(): string; set(v: string): void },
): HTMLElement {
  const id = uid(o.path);
  const msgId = `${id}-msg`;
  const helpId = `${id}-help`;
  const select = h(
    'select',
    { id, class: 'input size-medium', 'aria-describedby': `${msgId}${o.help ? ` ${helpId}` : ''}`, 'data-path': o.path },
    o.options.map((opt) => h('option', { value: opt.value }, opt.label)),
  );
  select.value = o.get();
  select.addEventListener('change', () => {
    o.set(select.value);
    ctx.touch(o.path);
    ctx.changed();
  });
  const msg = h('div', { id: msgId, class: 'field-msg', 'aria-live': 'polite' });
  const wrapper = h(
    'div',
    { class: 'field' },
    h('label', { for: id, class: 'label' }, o.label),
    select,
    msg,
    o.help ? h('p', { id: helpId, class: 'help' }, o.help) : null,
  );
  ctx.bind({ path: o.path, input: select, msg, wrapper });
  return wrapper;
}

/** Render issues into a binding's message area. */
export function renderIssues(
  b: { input: HTMLElement; msg: HTMLElement; wrapper: HTMLElement },
  errors: { message: string; hint: string; code: ErrorCode }[],
  warnings: { message: string; hint: string; code: ErrorCode }[],
): void {
  b.msg.replaceChildren(
    ...errors.map((e) =>
      h('p', { class: 'issue issue-error', 'data-code': e.code }, icon('alert'), h('span', null, h('span', { class: 'issue-msg' }, e.message), e.hint ? h('span', { class: 'issue-hint' }, ` ${e.hint}`) : null)),
    ),
    ...warnings.map((w) =>
      h('p', { class: 'issue issue-warning', 'data-code': w.code }, icon('info'), h('span', null, h('span', { class: 'issue-msg' }, w.message), w.hint ? h('span', { class: 'issue-hint' }, ` ${w.hint}`) : null)),
    ),
  );
  b.wrapper.classList.toggle('has-error', errors.length > 0);
  b.wrapper.classList.toggle('has-warning', errors.length === 0 && warnings.length > 0);
  if (errors.length) b.input.setAttribute('aria-invalid', 'true');
  else b.input.removeAttribute('aria-invalid');
}
