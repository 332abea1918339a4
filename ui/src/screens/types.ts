// The interface every screen implements. See README.md in this folder.
import type { AppInfo, ApplicationKind, ConnectionKind, Draft, FieldIssue, Problem, SavedConnection, Step, ValidationReport } from '../types';

export interface Screen {
  /** The step id from the core (`h2r_setup::wizard::steps`), or `start` / `rotate`. */
  id: string;
  /** Build the screen's content (called on every visit; may be async). */
  render(ctx: ScreenContext): HTMLElement | Promise<HTMLElement>;
  /**
   * Validation paths this screen owns (prefixes such as `name`, `domain_controllers`,
   * `exchange_online`). Next is disabled while the core reports an error under one of them.
   */
  fields?(ctx: ScreenContext): string[];
  /** Extra condition for Next (a choice made, a check passed). Default: true. */
  ready?(ctx: ScreenContext): boolean;
  /** Label of the Next button (default "Next"). */
  nextLabel?(ctx: ScreenContext): string;
  /** Why Next is disabled when `ready()` is false (shown beside the button). */
  notReadyText?(ctx: ScreenContext): string;
  /** Runs when Next is pressed and allowed; resolve false to stay (e.g. a save failed). */
  beforeNext?(ctx: ScreenContext): Promise<boolean> | boolean;
  /**
   * Whether this step counts as not done once passed (a placeholder, a skipped check). The step
   * list then shows it as "not done" instead of a check mark. Default: false.
   */
  skipped?(ctx: ScreenContext): boolean;
  /** `wizard` (Back/Next, the default), `back` (Back only) or `none`. */
  footer?: 'wizard' | 'back' | 'none';
  /** A validation warning this screen knows to be moot (e.g. a short host name the live check proved). */
  hideWarning?(ctx: ScreenContext, issue: FieldIssue): boolean;
  /** Called when the screen is left (stop timers, forget secrets typed here). */
  leave?(ctx: ScreenContext): void;
}

/** A field registered for error display. */
export interface FieldBinding {
  /** Validation path, e.g. `domain_controllers[0].hosts`; issues for `…hosts[1]` show here too. */
  path: string;
  /** The control that gets `aria-invalid` and focus. */
  input: HTMLElement;
  /** Where errors and warnings are rendered. */
  msg: HTMLElement;
  /** The wrapper that gets `has-error` / `has-warning`. */
  wrapper: HTMLElement;
}

export interface ScreenContext {
  /** The profile being edited (mutate it, then call `changed()`). */
  readonly draft: Draft;
  readonly kind: ConnectionKind | null;
  readonly steps: Step[];
  /** Index of this screen in `steps` (-1 for start / rotate). */
  readonly stepIndex: number;
  readonly info: AppInfo;
  /** The saved connection this draft was opened from / saved as (null if never saved). */
  readonly saved: SavedConnection | null;
  /** The connection picked for `rotate` on the start screen. */
  readonly rotateTarget: SavedConnection | null;
  /** Latest report from the core for the current draft. */
  readonly report: ValidationReport | null;

  /** The draft changed: validate again (debounced) and refresh errors and Next. */
  changed(): void;
  /** Resolves once the report is the core's answer for the draft as it is now (a validation
   * still waiting for its debounce runs at once). Actions that read the report await it: a
   * click right after typing must not see the errors of the text before. */
  settled(): Promise<void>;
  /** Re-evaluate Next (after something `ready()` depends on changed). */
  refresh(): void;
  /** Register a field so its errors/warnings appear at it. */
  bind(b: FieldBinding): void;
  /** Mark a field as touched (errors show for touched fields, or all after a failed Next). */
  touch(path: string): void;
  /** Issues (errors, warnings) for a path, as they should be displayed now. */
  issuesFor(path: string): { errors: FieldIssue[]; warnings: FieldIssue[] };
  /** Whether step `id` counts as not done (its screen's `skipped`; unknown steps: true). */
  stepSkipped(id: string): boolean;
  /** Re-render this screen (after adding a row etc.); `focus` is a CSS selector to focus after. */
  rerender(focus?: string): Promise<void>;

  setKind(kind: ConnectionKind): Promise<void>;
  setApplicationKind(kind: ApplicationKind): Promise<void>;
  /** Remember the result of a save (start screen and done screen show it). */
  setSaved(saved: SavedConnection): void;

  next(): Promise<void>;
  back(): void;
  goto(id: string): Promise<void>;
  /** Back to the start screen (the draft is kept until a new one is started). */
  home(): Promise<void>;
  /** Open a saved connection in the wizard (at its summary). */
  open(saved: SavedConnection): Promise<void>;
  /** Start a new connection from the kind step. */
  startNew(): Promise<void>;
  rotate(saved: SavedConnection): Promise<void>;
  /** Open a tool screen for a saved connection (`change-password`); `rotateTarget` is set to it. */
  tool(id: string, saved: SavedConnection): Promise<void>;

  /** Show (or clear with null) an error banner: message and what to do. */
  problem(p: Problem | null): void;
  /** Show a short confirmation toast. */
  toast(text: string): void;
}
