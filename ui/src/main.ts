import './styles.css';
import { appInfo } from './api/profile';
import { toProblem } from './api/core';
import { Wizard } from './wizard';
import { notice } from './ui';

// Before anything is laid out: the font families for this platform (styles.css).
if (/linux/i.test(navigator.platform || navigator.userAgent)) document.documentElement.dataset.platform = 'linux';

// Defaults, clouds and key sizes come from the core (app_info); the window keeps no copy.
async function boot(): Promise<void> {
  const root = document.getElementById('app')!;
  performance.mark('h2r:boot');
  let info;
  try {
    info = await appInfo();
    performance.mark('h2r:info');
  } catch (e) {
    const p = toProblem(e);
    root.replaceChildren(notice('warning', 'Hire2Retire Setup could not start', `${p.message} ${p.hint}`.trim()));
    document.body.dataset.ready = 'true';
    return;
  }
  const wizard = new Wizard(root, info);
  (window as unknown as { __wizard: Wizard }).__wizard = wizard;
  performance.mark('h2r:chrome');
  await wizard.home();
  performance.mark('h2r:ready');
  document.body.dataset.ready = 'true';
}

void boot();
