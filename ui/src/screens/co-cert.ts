// Customer Owned Application: certificate credential and a live check (placeholder until issue 5).
import { h } from '../dom';
import { header, section, unavailable } from '../ui';
import { IDENTITY_AVAILABLE } from '../api/identity';
import type { Screen } from './types';

export const screen: Screen = {
  id: 'co-cert',
  // Next is allowed; the summary and done screens say the credential was not checked.
  skipped: () => !IDENTITY_AVAILABLE,
  nextLabel: () => 'Continue without a certificate',
  render(ctx) {
    return h('div', null,
      header(ctx, 'Certificate & check', 'Hire2Retire authenticates as your application with a certificate. This step creates one for you to upload to the app registration, then checks that sign-in and permissions work.'),
      unavailable('Creating and checking the certificate credential', 'No certificate has been created and nothing has been checked.'),
      section('What this step will do',
        h('ol', { class: 'bullets' },
          h('li', null, 'Create a certificate; you upload its public part under Certificates & secrets of the app registration.'),
          h('li', null, 'Sign in as the application against your tenant and national cloud.'),
          h('li', null, 'Check that the application permissions were granted admin consent.'))));
  },
};
