// Shared building blocks for screens: headers, notices, copyable values, tables.
import { h, icon } from './dom';
import { copyText } from './api/shell';
import { toProblem } from './api/core';
import type { ScreenContext } from './screens/types';

const KIND_LABEL: Record<string, string> = {
  'hybrid-onprem': 'Hybrid On-Premise with Exchange Online',
  'azure-ad': 'Azure AD with Exchange Online',
};

export function kindLabel(kind: string | null | undefined): string {
  return (kind && KIND_LABEL[kind]) || 'New connection';
}

/** The screen's heading block: "Step 2 of 9 · kind", the title (h1) and a lead paragraph. */
export function header(ctx: ScreenContext, title: string, lead?: string | Node): HTMLElement {
  const eyebrow = ctx.stepIndex >= 0 && ctx.steps.length > 1
    ? `Step ${ctx.stepIndex + 1} of ${ctx.steps.length}${ctx.kind ? ` · ${kindLabel(ctx.kind)}` : ''}`
    : ctx.stepIndex >= 0 ? 'New connection' : '';
  return h('header', { class: 'screen-head' },
    eyebrow ? h('p', { class: 'eyebrow' }, eyebrow) : null,
    h('h1', { tabindex: '-1' }, title),
    lead ? h('p', { class: 'lead' }, lead) : null);
}

export function section(title: string | null, ...children: (Node | string | null | false)[]): HTMLElement {
  return h('section', { class: 'card' }, title ? h('h2', { class: 'card-title' }, title) : null, ...children);
}

/** A button that runs `onClick` once at a time (disabled while it runs). */
export function button(label: string, cls: string, onClick: () => Promise<void> | void, opts: { id?: string; disabled?: boolean; title?: string } = {}): HTMLElement {
  const b = h('button', { type: 'button', class: cls, id: opts.id, title: opts.title, disabled: opts.disabled ?? false }, label);
  b.addEventListener('click', async () => {
    b.setAttribute('disabled', '');
    try {
      await onClick();
    } finally {
      b.removeAttribute('disabled');
    }
  });
  return b;
}

export function notice(kind: 'info' | 'warning' | 'success', title: string, body?: string | Node): HTMLElement {
  return h('div', { class: `notice notice-${kind}`, role: 'note' },
    icon(kind === 'success' ? 'check' : kind === 'warning' ? 'alert' : 'info'),
    h('div', null, h('p', { class: 'notice-title' }, title), body ? h('p', null, body) : null));
}

/** A value the admin copies elsewhere (portal, PowerShell), with a Copy button. */
export function copyValue(ctx: ScreenContext, label: string, value: string, opts: { mono?: boolean; block?: boolean; empty?: string } = {}): HTMLElement {
  const has = value.trim().length > 0;
  const btn = h('button', { type: 'button', class: 'btn btn-small btn-ghost copy', 'aria-label': `Copy ${label}`, disabled: !has }, icon('copy'), 'Copy');
  btn.addEventListener('click', async () => {
    try {
      await copyText(value);
      ctx.toast(`${label} copied`);
    } catch (e) {
      ctx.problem(toProblem(e));
    }
  });
  const val = has
    ? h(opts.block ? 'pre' : 'span', { class: `kv-value${opts.mono ? ' mono' : ''}` }, value)
    : h('span', { class: 'kv-value kv-empty' }, opts.empty ?? 'Not set');
  return h('div', { class: `kv${opts.block ? ' kv-block' : ''}` }, h('div', { class: 'kv-label' }, label), val, h('div', { class: 'kv-action' }, btn));
}

/** A read-only label/value row. */
export function kv(label: string, value: string | Node, mono = false): HTMLElement {
  return h('div', { class: 'kv' }, h('div', { class: 'kv-label' }, label), h('span', { class: `kv-value${mono ? ' mono' : ''}` }, value), h('div', { class: 'kv-action' }));
}

export function table(caption: string, head: string[], rows: (string | Node)[][], cls = ''): HTMLElement {
  return h('div', { class: 'table-wrap' },
    h('table', { class: `table ${cls}` },
      h('caption', { class: 'sr-only' }, caption),
      h('thead', null, h('tr', null, head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', null, c))))))));
}

/** Status line used on summary/done: done, not done (with why), or not available. */
export function statusItem(state: 'ok' | 'todo', title: string, detail: string): HTMLElement {
  const ic = state === 'ok' ? icon('check') : icon('info');
  return h('li', { class: `status status-${state}` }, h('span', { class: 'status-icon' }, ic), h('div', null, h('p', { class: 'status-title' }, title), h('p', { class: 'status-detail' }, detail)));
}

/** A passed-with-warnings line: the warnings are listed, never summarised away. */
export function warnItem(title: string, detail: string, warnings: string[]): HTMLElement {
  return h('li', { class: 'status status-warn', 'data-status': 'warn' },
    h('span', { class: 'status-icon' }, icon('alert')),
    h('div', null, h('p', { class: 'status-title' }, title), h('p', { class: 'status-detail' }, detail),
      h('ul', { class: 'status-warnings' }, warnings.map((w) => h('li', null, w)))));
}
