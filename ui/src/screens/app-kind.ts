// Azure AD: connection name and the application kind (decides the next steps).
import { h } from '../dom';
import { choiceCards, textField } from '../fields';
import { header, section } from '../ui';
import type { ApplicationKind } from '../types';
import type { Screen } from './types';

export const screen: Screen = {
  id: 'app-kind',
  fields: () => ['name', 'application.kind'],
  ready: (ctx) => !!ctx.draft.application?.kind,
  notReadyText: () => 'Choose an application to continue.',
  render(ctx) {
    const app = ctx.draft.application!;
    return h('div', null,
      header(ctx, 'Azure AD connection', 'Name the connection and choose which application Hire2Retire uses to reach Microsoft Graph.'),
      section(null,
        textField(ctx, { path: 'name', label: 'Connection name', required: true,
          help: 'Shown in the Hire2Retire portal.',
          get: () => ctx.draft.name, set: (v) => { ctx.draft.name = v; } })),
      section(null,
        choiceCards(ctx, {
          name: 'application-kind', legend: 'Application', path: 'application.kind',
          get: () => app.kind,
          set: (v) => void ctx.setApplicationKind(v as ApplicationKind).then(() => ctx.refresh()),
          choices: [
            { value: 'service-provider', icon: 'external', title: 'Service Provider Application',
              desc: 'Sign in with a service account in your browser and grant admin consent to Hire2Retire\'s application. Delegated permissions: it acts with the rights of that account.' },
            { value: 'customer-owned', icon: 'key', title: 'Customer Owned Application', badge: 'Dedicated',
              desc: 'Register your own application in Microsoft Entra ID with application permissions and a certificate credential. Recommended if you prefer your dedicated service account.' },
          ],
        })));
  },
};
