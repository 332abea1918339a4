import './styles.css';
import { appInfo } from './api/profile';
import { toProblem } from './api/core';
import { Wizard } from './wizard';
import { notice } from './ui';

// Defaults, clouds and key sizes come from the core (app_info); the window keeps no copy.
async function boot(): Promise<void> {
  const root = document.getElementById('app')!;
  let info;
  try {
    info = await appInfo();
  } catch (e) {
    const p = toProblem(e);
    root.replaceChildren(notice('warning', 'Hire2Retire Setup could not start', `${p.message} ${p.hint}`.trim()));
    document.body.dataset.ready = 'true';
    return;
  }
  const wizard = new Wizard(root, info);
  (window as unknown as { __wizard: Wizard }).__wizard = wizard;
  await wizard.home();
  document.body.dataset.ready = 'true';
}

void boot();
