// Customer Owned Application: national cloud, client ID, tenant ID, and where to find them.
import { h } from '../dom';
import { selectField, textField } from '../fields';
import { header, section } from '../ui';
import type { Screen } from './types';

export const screen: Screen = {
  id: 'co-app',
  fields: () => ['application.cloud', 'application.client_id', 'application.tenant_id'],
  render(ctx) {
    const app = ctx.draft.application!;
    return h('div', null,
      header(ctx, 'Your app registration', 'Hire2Retire signs in as your own application. Copy its identifiers from the Microsoft Entra admin center.'),
      h('div', { class: 'two-col' },
        section(null,
          selectField(ctx, { path: 'application.cloud', label: 'National cloud',
            help: 'Where your tenant lives. Most tenants are in the global cloud.',
            options: ctx.info.clouds.map((c) => ({ value: c.id, label: c.name })),
            get: () => app.cloud, set: (v) => { app.cloud = v; } }),
          textField(ctx, { path: 'application.client_id', label: 'Application (client) ID', required: true, mono: true,
            placeholder: '00000000-0000-0000-0000-000000000000',
            get: () => app.client_id, set: (v) => { app.client_id = v; } }),
          textField(ctx, { path: 'application.tenant_id', label: 'Directory (tenant) ID', required: true, mono: true,
            placeholder: '00000000-0000-0000-0000-000000000000 or example.onmicrosoft.com',
            help: 'The tenant\'s GUID, or one of its verified domains.',
            get: () => app.tenant_id, set: (v) => { app.tenant_id = v; } })),
        h('aside', { class: 'card card-aside', 'aria-label': 'Where to find them' },
          h('h2', { class: 'card-title' }, 'Where to find them'),
          h('ol', { class: 'bullets' },
            h('li', null, 'Sign in to the Microsoft Entra admin center.'),
            h('li', null, 'Open Identity → Applications → App registrations, and select your application (or create one with "New registration").'),
            h('li', null, 'On its Overview blade, copy "Application (client) ID" and "Directory (tenant) ID".')),
          h('p', { class: 'help' }, 'The permissions it needs are listed on the next step.'))),
      h('div', { class: 'other-issues field-msg', 'aria-live': 'polite' }));
  },
};
