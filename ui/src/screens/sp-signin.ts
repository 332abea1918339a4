// Service Provider sign-in (placeholder until issue 5): system browser, delegated scopes, consent.
import { h } from '../dom';
import { selectField } from '../fields';
import { header, section, unavailable } from '../ui';
import { cloudLabel } from './summary';
import { IDENTITY_AVAILABLE } from '../api/identity';
import type { Screen } from './types';

export const screen: Screen = {
  id: 'sp-signin',
  fields: () => ['application.cloud'],
  // Next is allowed so the permissions and Exchange steps can be filled; the connection is then
  // saved as a draft and the summary says that nobody signed in.
  skipped: () => !IDENTITY_AVAILABLE,
  nextLabel: () => 'Continue without signing in',
  render(ctx) {
    const app = ctx.draft.application!;
    return h('div', null,
      header(ctx, 'Sign in to Microsoft', 'Sign in with the service account in your browser and approve the permissions Hire2Retire\'s application requests. Then an administrator grants consent for the organisation.'),
      unavailable('Signing in to Microsoft', 'You are not signed in and no consent was requested. You can continue; the connection is saved as a draft.'),
      section(null,
        selectField(ctx, { path: 'application.cloud', label: 'National cloud',
          help: 'Where your tenant lives. Most tenants are in the global cloud.',
          options: ctx.info.clouds.map((c) => ({ value: c, label: cloudLabel(c) })),
          get: () => app.cloud, set: (v) => { app.cloud = v; } })));
  },
};
