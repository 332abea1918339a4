import './styles.css';
import { appInfo } from './api/profile';
import { toProblem } from './api/core';
import { Wizard } from './wizard';
import type { AppInfo } from './types';

const FALLBACK_INFO: AppInfo = {
  version: '0.0.0',
  defaults: { onprem_name: 'Connection-OnPremise Service', azure_name: 'Connection-Azure AD', exchange_name: 'Connection-Exchange Online', ldaps_port: 636 },
  clouds: ['global', 'usgov-high', 'usgov-dod', 'china'],
  settings_path: '',
};

async function boot(): Promise<void> {
  const root = document.getElementById('app')!;
  let info = FALLBACK_INFO;
  let problem = null;
  try {
    info = await appInfo();
  } catch (e) {
    problem = toProblem(e);
  }
  const wizard = new Wizard(root, info);
  (window as unknown as { __wizard: Wizard }).__wizard = wizard;
  await wizard.home();
  if (problem) wizard.problem(problem);
  document.body.dataset.ready = 'true';
}

void boot();
