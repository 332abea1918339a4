// The About view: a modal <dialog> with the version, the build commit, the log folder (with
// "Open log folder") and the third-party licence notice shipped in the package.
import { h, icon } from './dom';
import { aboutInfo, openLogFolder } from './api/about';
import { toProblem } from './api/core';

let dialog: HTMLDialogElement | null = null;

export async function openAbout(): Promise<void> {
  dialog?.remove();
  const status = h('p', { class: 'about-status', role: 'status', 'aria-live': 'polite' });
  const close = h('button', { type: 'button', class: 'btn btn-secondary', id: 'about-close' }, 'Close');
  const d = h('dialog', { id: 'about', class: 'about', 'aria-labelledby': 'about-title' });
  dialog = d;
  close.addEventListener('click', () => d.close());
  d.addEventListener('close', () => d.remove());
  document.body.append(d);
  try {
    const info = await aboutInfo();
    const logs = h('button', { type: 'button', class: 'btn btn-secondary', id: 'about-open-logs' }, icon('info'), 'Open log folder');
    logs.addEventListener('click', () => {
      status.textContent = '';
      openLogFolder().then(
        (p) => (status.textContent = `Opened ${p}.`),
        (e) => {
          const p = toProblem(e);
          status.textContent = `${p.message} ${p.hint}`;
        },
      );
    });
    d.append(
      h('h2', { id: 'about-title' }, `About ${info.product}`),
      h('dl', { class: 'about-facts' },
        h('dt', null, 'Version'), h('dd', { 'data-about': 'version' }, info.version),
        h('dt', null, 'Build commit'), h('dd', null, h('code', { 'data-about': 'commit' }, info.commit)),
        h('dt', null, 'Tauri'), h('dd', null, info.tauri_version),
        h('dt', null, 'Logs'), h('dd', null, h('code', { 'data-about': 'log-dir' }, info.log_dir), h('span', { class: 'about-note' }, ' (no secret is ever written to the log)'))),
      h('div', { class: 'about-actions' }, logs, status),
      h('h3', null, 'Third-party software'),
      ...(info.notice
        ? [
            h('p', { class: 'about-note' }, 'Hire2Retire Setup includes the components below under their own licences. From ', h('code', { 'data-about': 'notice-path' }, info.notice_path), ':'),
            h('pre', { class: 'about-notice', 'data-about': 'notice', tabindex: '0' }, info.notice),
          ]
        : [h('p', { class: 'about-note', 'data-about': 'notice-missing' }, `The licence notice was not found at ${info.notice_path}. Reinstall Hire2Retire Setup to restore it.`)]),
      h('div', { class: 'about-foot' }, close),
    );
  } catch (e) {
    const p = toProblem(e);
    d.append(h('h2', { id: 'about-title' }, 'About Hire2Retire Setup'), h('p', null, p.message), h('p', null, p.hint), h('div', { class: 'about-foot' }, close));
  }
  d.showModal();
  close.focus();
}
