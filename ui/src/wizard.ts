// The wizard controller: state, navigation, validation by the core, the step indicator and
// the footer. Screens (./screens) only build their content through the ScreenContext.
import { h, icon } from './dom';
import { toProblem } from './api/core';
import * as api from './api/profile';
import { renderIssues } from './fields';
import { SCREENS } from './screens';
import type { FieldBinding, Screen, ScreenContext } from './screens/types';
import type {
  AppInfo, ApplicationKind, ConnectionKind, Draft, FieldIssue, Problem, SavedConnection, Step, ValidationReport,
} from './types';
import { draftFromSaved, newDraft } from './draft';
import { forgetPassword } from './screens/ldap-test';
import { openAbout } from './about';

const VALIDATE_DELAY_MS = 120;

function underPrefix(field: string, prefix: string): boolean {
  return field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`);
}

export class Wizard implements ScreenContext {
  info: AppInfo;
  draft: Draft = newDraft('hybrid-onprem', null);
  kind: ConnectionKind | null = null;
  steps: Step[] = [];
  stepIndex = -1;
  saved: SavedConnection | null = null;
  rotateTarget: SavedConnection | null = null;
  report: ValidationReport | null = null;

  private screen: Screen;
  private furthest = 0;
  /** The client ID typed per application kind while switching between them. */
  private clientIds: Partial<Record<ApplicationKind, string>> = {};
  private bindings: FieldBinding[] = [];
  private touched = new Set<string>();
  private showAll = false;
  private validateSeq = 0;
  private validateTimer: number | undefined;
  private pending: Promise<void> | null = null;
  private busy = false;
  private renderSeq = 0;
  private stepsLoading: Promise<void> | null = null;

  // Shell elements.
  private readonly el = {
    app: h('div', { class: 'app' }),
    main: h('main', { class: 'main', id: 'main', tabindex: '-1' }),
    banner: h('div', { class: 'banner-slot', role: 'alert' }),
    body: h('div', { class: 'screen' }),
    footer: h('footer', { class: 'footer' }),
    back: h('button', { type: 'button', class: 'btn btn-secondary', id: 'back' }, icon('arrowLeft'), 'Back'),
    next: h('button', { type: 'button', class: 'btn btn-primary', id: 'next' }),
    status: h('div', { class: 'footer-status', id: 'next-status', 'aria-live': 'polite' }),
    nav: h('ol', { class: 'steps' }),
    sidebar: h('aside', { class: 'sidebar', 'aria-label': 'Progress' }),
    toast: h('div', { class: 'toast', role: 'status', 'aria-live': 'polite' }),
  };

  constructor(root: HTMLElement, info: AppInfo) {
    this.info = info;
    this.screen = SCREENS.start;
    const { app, main, banner, body, footer, back, next, status, nav, sidebar, toast } = this.el;
    back.addEventListener('click', () => this.back());
    next.addEventListener('click', () => void this.next());
    next.setAttribute('aria-describedby', 'next-status');
    footer.append(back, h('div', { class: 'footer-spacer' }), status, next);
    main.append(banner, body);
    sidebar.append(
      h('div', { class: 'brand' },
        h('img', { src: '/logo.png', alt: '', class: 'brand-logo', width: '40', height: '40' }),
        h('div', null, h('div', { class: 'brand-name' }, 'Hire2Retire Setup'), h('div', { class: 'brand-sub' }, 'Directory connection wizard'))),
      h('nav', { 'aria-label': 'Wizard steps' }, nav),
      h('div', { class: 'sidebar-intro' },
        h('h2', null, 'How it works'),
        h('ol', null,
          ['Choose the connection type', 'Enter the values; each is checked as you type', 'Create the connection locally', 'Finish in the Hire2Retire portal']
            .map((t, i) => h('li', null, h('span', { class: 'step-marker', 'aria-hidden': 'true' }, String(i + 1)), h('span', null, t))))),
      h('div', { class: 'sidebar-foot' }, h('span', null, `Version ${info.version}`), h('span', null, 'No secret in settings or logs'),
        h('button', { type: 'button', class: 'btn btn-ghost about-link', id: 'about-open', onclick: () => void openAbout() }, 'About and licences')),
    );
    // DOM order = focus order: the screen, then Back/Next, then the step list.
    app.append(main, footer, sidebar, toast);
    root.replaceChildren(app);
  }

  // ---- ScreenContext ------------------------------------------------------------------

  changed(): void {
    window.clearTimeout(this.validateTimer);
    this.setNextEnabled(false, true);
    this.pending = new Promise<void>((resolve) => {
      this.validateTimer = window.setTimeout(() => {
        void this.validate().then(resolve);
      }, VALIDATE_DELAY_MS);
    });
  }

  settled(): Promise<void> {
    return this.flush();
  }

  refresh(): void {
    this.updateFooter();
  }

  bind(b: FieldBinding): void {
    this.bindings.push(b);
  }

  touch(path: string): void {
    this.touched.add(path);
    this.applyIssues();
  }

  issuesFor(path: string): { errors: FieldIssue[]; warnings: FieldIssue[] } {
    const r = this.report;
    if (!r) return { errors: [], warnings: [] };
    return {
      errors: r.errors.filter((i) => underPrefix(i.field, path)),
      warnings: r.warnings.filter((i) => underPrefix(i.field, path) && !this.screen.hideWarning?.(this, i)),
    };
  }

  stepSkipped(id: string): boolean {
    return SCREENS[id]?.skipped?.(this) ?? true;
  }

  async rerender(focus?: string): Promise<void> {
    await this.render();
    if (focus) (this.el.body.querySelector(focus) as HTMLElement | null)?.focus();
  }

  async setKind(kind: ConnectionKind): Promise<void> {
    if (this.kind !== kind) {
      this.kind = kind;
      this.draft = newDraft(kind, this.info);
      this.saved = null;
      this.touched.clear();
      this.furthest = Math.max(0, this.stepIndex);
    }
    await this.loadSteps();
    this.changed();
  }

  async setApplicationKind(kind: ApplicationKind): Promise<void> {
    if (this.draft.application && this.draft.application.kind !== kind) {
      // Each application kind has its own client ID (Hire2Retire's, or the admin's own app
      // registration): switching keeps each one for its kind instead of carrying it over.
      const app = this.draft.application;
      if (app.kind) this.clientIds[app.kind] = app.client_id ?? '';
      app.client_id = this.clientIds[kind] ?? '';
      this.draft.application.kind = kind;
      // The steps after this one change: only up to here stays reachable.
      this.furthest = Math.max(0, this.stepIndex);
    }
    await this.loadSteps();
    this.changed();
  }

  setSaved(saved: SavedConnection): void {
    this.saved = saved;
  }

  async next(): Promise<void> {
    if (this.busy) return;
    if (this.stepsLoading) await this.stepsLoading;
    await this.flush();
    if (!this.canProceed()) {
      // Show every problem on this screen and put the cursor on the first one.
      this.showAll = true;
      this.applyIssues();
      const firstBad = this.bindings.find((b) => b.wrapper.classList.contains('has-error'));
      (firstBad?.input ?? this.el.status).focus();
      this.updateFooter();
      return;
    }
    if (this.screen.beforeNext) {
      this.busy = true;
      this.updateFooter();
      let ok = false;
      try {
        ok = await this.screen.beforeNext(this);
      } catch (e) {
        this.problem(toProblem(e));
      } finally {
        this.busy = false;
      }
      if (!ok) {
        this.updateFooter();
        return;
      }
    }
    const nextStep = this.steps[this.stepIndex + 1];
    if (nextStep) await this.goto(nextStep.id);
  }

  back(): void {
    if (this.busy) return;
    if (this.screen.id === 'rotate' || this.screen.id === 'change-password' || this.stepIndex <= 0) {
      void this.home();
      return;
    }
    void this.goto(this.steps[this.stepIndex - 1].id);
  }

  async goto(id: string): Promise<void> {
    const screen = SCREENS[id];
    if (!screen) {
      this.problem({ code: 'app.unknown_step', message: `The step "${id}" has no screen in this build.`, hint: 'Please report this; go Back to continue.' });
      return;
    }
    this.screen.leave?.(this);
    this.screen = screen;
    this.stepIndex = this.steps.findIndex((s) => s.id === id);
    if (this.stepIndex > this.furthest) this.furthest = this.stepIndex;
    this.showAll = false;
    this.problem(null);
    await this.render(true);
  }

  async home(): Promise<void> {
    this.kind = null;
    this.steps = [];
    await this.goto('start');
  }

  async startNew(): Promise<void> {
    await forgetPassword();
    this.kind = null;
    this.saved = null;
    this.draft = newDraft('hybrid-onprem', this.info);
    this.touched.clear();
    this.clientIds = {};
    this.furthest = 0;
    this.steps = [{ id: 'kind', title: 'Connection type', style: 'form' }];
    await this.goto('kind');
  }

  async open(saved: SavedConnection): Promise<void> {
    if (this.saved?.id !== saved.id) await forgetPassword();
    this.saved = saved;
    this.kind = saved.connection.kind;
    this.draft = draftFromSaved(saved.connection, this.info);
    this.touched.clear();
    this.clientIds = {};
    await this.loadSteps();
    // Every step up to the summary is reachable from the step list.
    const summary = this.steps.findIndex((s) => s.id === 'summary');
    this.furthest = summary;
    await this.goto('summary');
  }

  async rotate(saved: SavedConnection): Promise<void> {
    this.rotateTarget = saved;
    this.steps = [];
    await this.goto('rotate');
  }

  async tool(id: string, saved: SavedConnection): Promise<void> {
    this.rotateTarget = saved;
    this.steps = [];
    await this.goto(id);
  }

  problem(p: Problem | null): void {
    if (!p) {
      this.el.banner.replaceChildren();
      return;
    }
    const close = h('button', { type: 'button', class: 'btn-icon', 'aria-label': 'Dismiss' }, '×');
    close.addEventListener('click', () => this.problem(null));
    this.el.banner.replaceChildren(
      h('div', { class: 'banner banner-error', 'data-code': p.code },
        icon('alert'),
        h('div', null, h('p', { class: 'banner-title' }, p.message), p.hint ? h('p', { class: 'banner-hint' }, p.hint) : null),
        close),
    );
  }

  private toastTimer: number | undefined;
  toast(text: string): void {
    this.el.toast.textContent = text;
    this.el.toast.classList.add('show');
    window.clearTimeout(this.toastTimer);
    this.toastTimer = window.setTimeout(() => this.el.toast.classList.remove('show'), 2200);
  }

  // ---- internals ----------------------------------------------------------------------

  private loadSteps(): Promise<void> {
    // Next waits (shown as pending) until the core has said which steps follow.
    this.setNextEnabled(false, true);
    const p = this.fetchSteps();
    this.stepsLoading = p;
    return p.finally(() => {
      if (this.stepsLoading === p) this.stepsLoading = null;
      this.updateFooter();
    });
  }

  private async fetchSteps(): Promise<void> {
    if (!this.kind) return;
    const app = this.draft.application?.kind || null;
    try {
      this.steps = await api.wizardSteps(this.kind, app);
    } catch (e) {
      this.problem(toProblem(e));
    }
    this.stepIndex = this.steps.findIndex((s) => s.id === this.screen.id);
    this.renderSteps();
  }

  private async render(focus = false): Promise<void> {
    const seq = ++this.renderSeq;
    this.bindings = [];
    let content: HTMLElement;
    try {
      content = await this.screen.render(this);
    } catch (e) {
      const p = toProblem(e);
      content = h('div', null, h('h1', { tabindex: '-1' }, 'Something went wrong'), h('p', null, p.message), h('p', { class: 'muted' }, p.hint));
    }
    if (seq !== this.renderSeq) return;
    content.classList.add('screen-content');
    this.el.body.replaceChildren(content);
    this.el.body.dataset.screen = this.screen.id;
    document.body.dataset.screen = this.screen.id;
    this.el.main.scrollTop = 0;
    this.renderSteps();
    this.updateFooter();
    // Focus before the first validation round trip, so keys typed right away land in the screen.
    if (focus) this.focusScreen();
    if (this.usesValidation()) await this.validate();
    else this.applyIssues();
  }

  private focusScreen(): void {
    const body = this.el.body;
    const formStep = this.steps[this.stepIndex]?.style === 'form';
    const first = formStep
      ? (body.querySelector('input:not([type=hidden]):not([disabled]):checked, input:not([type=hidden]):not([type=radio]):not([disabled]), select, textarea') as HTMLElement | null)
        ?? (body.querySelector('input[type=radio]') as HTMLElement | null)
      : null;
    const target = first ?? (body.querySelector('h1') as HTMLElement | null);
    target?.focus();
  }

  private usesValidation(): boolean {
    return this.kind !== null && this.stepIndex >= 0;
  }

  private async flush(): Promise<void> {
    if (this.pending) {
      window.clearTimeout(this.validateTimer);
      this.pending = null;
      await this.validate();
    }
  }

  private async validate(): Promise<void> {
    if (!this.usesValidation()) return;
    const seq = ++this.validateSeq;
    // The change this validation answers. A change while it runs keeps its own pending
    // validation: clearing that here made Next and "Sign in and check" read the report of the
    // text before the last keystrokes (a fast click after typing).
    const answers = this.pending;
    try {
      const report = await api.validateDraft(this.draft);
      if (seq !== this.validateSeq) return;
      this.report = report;
    } catch (e) {
      if (seq !== this.validateSeq) return;
      this.report = null;
      this.problem(toProblem(e));
    }
    if (this.pending === answers) this.pending = null;
    this.applyIssues();
    this.updateFooter();
    this.el.body.dispatchEvent(new CustomEvent('report', { detail: this.report }));
  }

  private screenPrefixes(): string[] {
    return this.screen.fields?.(this) ?? [];
  }

  private blockingErrors(): FieldIssue[] {
    const prefixes = this.screenPrefixes();
    if (!prefixes.length || !this.report) return [];
    return this.report.errors.filter((e) => prefixes.some((p) => underPrefix(e.field, p)));
  }

  private canProceed(): boolean {
    const ready = this.screen.ready ? this.screen.ready(this) : true;
    if (!ready) return false;
    if (this.screenPrefixes().length && !this.report) return false;
    return this.blockingErrors().length === 0;
  }

  private applyIssues(): void {
    const shown = new Set<FieldIssue>();
    for (const b of this.bindings) {
      const { errors, warnings } = this.issuesFor(b.path);
      // Issues of a nested path (…hosts[1]) are shown at the closest bound field only.
      const own = (i: FieldIssue) => !this.bindings.some((o) => o !== b && o.path.length > b.path.length && underPrefix(o.path, b.path) && underPrefix(i.field, o.path));
      const e = errors.filter(own);
      const w = warnings.filter(own);
      const visible = this.showAll || this.touched.has(b.path);
      renderIssues(b, visible ? e : [], visible ? w : []);
      if (visible) [...e, ...w].forEach((i) => shown.add(i));
    }
    // Issues under this screen's paths that no field displays (e.g. a whole-DC problem).
    const other = this.el.body.querySelector('.other-issues');
    if (other && this.report) {
      const prefixes = this.screenPrefixes();
      const anyTouched = this.bindings.some((b) => this.touched.has(b.path));
      const rest = this.report.errors.filter((i) => prefixes.some((p) => underPrefix(i.field, p)) && !shown.has(i) && !this.bindings.some((b) => underPrefix(i.field, b.path)));
      renderIssues({ input: other as HTMLElement, msg: other as HTMLElement, wrapper: other as HTMLElement }, this.showAll || anyTouched ? rest : [], []);
    }
  }

  private setNextEnabled(enabled: boolean, pending = false): void {
    this.el.next.disabled = !enabled;
    this.el.next.classList.toggle('pending', pending);
  }

  private updateFooter(): void {
    const { footer, back, next, status } = this.el;
    const mode = this.screen.footer ?? 'wizard';
    footer.hidden = mode === 'none';
    // The kind step is the last known step until a kind is chosen: Next shows there, disabled with the reason.
    next.hidden = mode !== 'wizard' || (this.stepIndex >= this.steps.length - 1 && this.screen.id !== 'kind');
    // A step that would be passed without its action done ("Continue without …"): the skip is
    // secondary, so the step's own action stays the emphasised one.
    const skipping = this.stepIndex >= 0 && (this.screen.skipped?.(this) ?? false);
    next.classList.toggle('btn-primary', !skipping);
    next.classList.toggle('btn-secondary', skipping);
    next.dataset.skip = skipping ? 'true' : 'false';
    back.hidden = mode === 'none';
    const label = this.screen.nextLabel?.(this) ?? 'Next';
    next.replaceChildren(h('span', null, this.busy ? 'Working…' : label), icon('arrowRight'));
    const ok = this.canProceed() && !this.busy;
    this.setNextEnabled(ok);
    status.replaceChildren();
    if (!ok && !this.busy && !next.hidden) {
      const ready = this.screen.ready ? this.screen.ready(this) : true;
      if (!ready) {
        status.append(this.screen.notReadyText?.(this) ?? 'Make a choice to continue.');
      } else {
        const n = new Set(this.blockingErrors().map((e) => e.field)).size;
        if (n > 0) {
          const show = h('button', { type: 'button', class: 'link', id: 'show-missing' }, 'Show what needs fixing');
          show.addEventListener('click', () => void this.next());
          status.append(`${n} field${n === 1 ? '' : 's'} to complete or correct. `, show);
        }
      }
    }
  }

  private renderSteps(): void {
    const nav = this.el.nav;
    this.el.sidebar.classList.toggle('no-steps', this.steps.length === 0);
    nav.replaceChildren(
      ...this.steps.map((s, i) => {
        const passed = i !== this.stepIndex && i <= this.furthest;
        const skipped = passed && (SCREENS[s.id]?.skipped?.(this) ?? false);
        const state = i === this.stepIndex ? 'current' : skipped ? 'skipped' : passed ? 'done' : 'todo';
        const reachable = passed;
        const marker = h('span', { class: 'step-marker', 'aria-hidden': 'true' }, state === 'done' ? icon('check') : state === 'skipped' ? '–' : String(i + 1));
        const srState = { current: 'current step', skipped: 'not done', done: 'done', todo: 'not visited yet' }[state];
        const label = h('span', { class: 'step-title' }, s.title, h('span', { class: 'sr-only' }, `, step ${i + 1}, ${srState}`));
        const inner = reachable
          ? h('button', { type: 'button', class: 'step-link', onclick: () => void this.goto(s.id) }, marker, label)
          : h('span', { class: 'step-link' }, marker, label);
        return h('li', { class: `step step-${state}`, 'aria-current': i === this.stepIndex ? 'step' : null, 'data-step': s.id, title: state === 'skipped' ? 'Not done' : null }, inner);
      }),
    );
    if (this.kind === null && this.screen.id === 'kind') {
      nav.append(h('li', { class: 'step step-hint' }, h('span', { class: 'step-link' }, h('span', { class: 'step-marker' }, '…'), h('span', { class: 'step-title' }, 'The next steps depend on your choice'))));
    }
  }
}
