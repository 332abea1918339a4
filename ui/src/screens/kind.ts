// Choose the connection kind. The steps that follow come from the core for that kind.
import { choiceCards } from '../fields';
import { h } from '../dom';
import { header } from '../ui';
import type { ConnectionKind } from '../types';
import type { Screen } from './types';

export const screen: Screen = {
  id: 'kind',
  ready: (ctx) => ctx.kind !== null,
  notReadyText: () => 'Choose a connection type to continue.',
  render(ctx) {
    return h('div', null,
      header(ctx, 'What are you connecting?', 'Choose where your users live. You can set up the other kind afterwards as a separate connection.'),
      choiceCards(ctx, {
        name: 'kind',
        legend: 'Connection type',
        get: () => ctx.kind ?? '',
        set: (v) => void ctx.setKind(v as ConnectionKind).then(() => ctx.refresh()),
        choices: [
          { value: 'hybrid-onprem', icon: 'server', title: 'Hybrid On-Premise with Exchange Online',
            desc: 'Users live in Active Directory in your network. A Hire2Retire agent runs inside your network and reaches your domain controllers over LDAPS; no inbound firewall ports or VPN.' },
          { value: 'azure-ad', icon: 'cloud', title: 'Azure AD with Exchange Online',
            desc: 'Users live in Microsoft Entra ID (Azure AD). Hire2Retire works through Microsoft Graph, with the Service Provider Application or an application you register yourself.' },
        ],
      }));
  },
};
