// Tiny DOM helpers: no framework, no innerHTML with data (everything is text nodes).

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/** Create an element. `on*` attributes that are functions become event listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') {
        el.addEventListener(k.slice(2).toLowerCase(), v as EventListener);
      } else if (k === 'class') {
        el.className = String(v);
      } else if (v === true) {
        el.setAttribute(k, '');
      } else {
        el.setAttribute(k, String(v));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

let idCounter = 0;
/** A unique element id with a readable prefix. */
export function uid(prefix: string): string {
  idCounter += 1;
  return `${prefix.replace(/[^a-zA-Z0-9_-]/g, '-')}-${idCounter}`;
}

/** Inline SVG icons (stroke icons, 20px, currentColor). */
const ICONS: Record<string, string> = {
  check: 'M5 10.5l3.2 3.2L15 7',
  alert: 'M10 3.5l7 12.5H3L10 3.5zM10 8.5v3.5M10 14.2v.1',
  info: 'M10 17a7 7 0 100-14 7 7 0 000 14zM10 9v4.5M10 6.6v.1',
  copy: 'M7 7h9v9H7zM4 13V4h9',
  arrowRight: 'M4 10h12M11 5l5 5-5 5',
  arrowLeft: 'M16 10H4M9 5l-5 5 5 5',
  plus: 'M10 4v12M4 10h12',
  trash: 'M4 6h12M8 6V4h4v2M6 6l1 10h6l1-10',
  server: 'M3 4h14v5H3zM3 11h14v5H3zM6 6.5h.1M6 13.5h.1',
  cloud: 'M6 15h8.5a3.5 3.5 0 00.4-7A5 5 0 005.3 9.2 3 3 0 006 15z',
  key: 'M12.5 3a4.5 4.5 0 00-4.3 5.8L3 14v3h3v-2h2v-2h2l1.2-1.2A4.5 4.5 0 1012.5 3zM13.5 6.5h.1',
  lock: 'M5 9h10v8H5zM7 9V6.5a3 3 0 016 0V9',
  refresh: 'M15.5 7A6 6 0 004.3 8M4.5 13a6 6 0 0011.2-1M15.5 3v4h-4M4.5 17v-4h4',
  external: 'M11 4h5v5M16 4l-7 7M14 11v5H4V6h5',
  folder: 'M3 5h5l2 2h7v9H3z',
  clock: 'M10 17a7 7 0 100-14 7 7 0 000 14zM10 6v4l3 2',
};

export function icon(name: keyof typeof ICONS | string, cls = 'icon'): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('class', cls);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', ICONS[name] ?? ICONS.info);
  svg.appendChild(p);
  return svg;
}
