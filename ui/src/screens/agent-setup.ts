// Agent setup: step-by-step instructions for running the on-prem agent container with the
// agent folder mounted at /config.
import { h } from '../dom';
import { copyValue, header, notice, section } from '../ui';
import type { Screen } from './types';

const IMAGE = 'public.ecr.aws/s0y8d0j7/hire2retire-onpremadagent';

export const screen: Screen = {
  id: 'agent-setup',
  render(ctx) {
    const folder = typeof ctx.draft.agent_folder === 'string' && ctx.draft.agent_folder ? ctx.draft.agent_folder : '';
    const hostFolder = '/opt/hire2retire/agent-config';
    const run = [
      'docker run -d --name hire2retire-agent --restart unless-stopped \\',
      `  -v ${hostFolder}:/config:ro \\`,
      '  -e CONFIG_PATH=/config -e AGENT_FILES_PATH=/agent-files \\',
      '  -e USERNAME="<agent user from the portal>" -e PASSWORD="<agent password from the portal>" \\',
      `  ${IMAGE}:<tag from the portal>`,
    ].join('\n');
    const steps: [string, (HTMLElement | string)[]][] = [
      ['Pick the machine', ['A Linux host (or Azure Container Instances) inside your network with Docker, that reaches every domain controller on its LDAPS port. The agent needs no inbound ports and no VPN: it only connects out.']],
      ['Copy the agent folder', [
        folder ? `Copy the folder written by the Create step (${folder}) to the host, for example to ${hostFolder}, keeping its links and owner-only permissions:` : `Copy the folder the Create step writes to the host, for example to ${hostFolder}, keeping its links and owner-only permissions:`,
        copyValue(ctx, 'Copy command', `sudo cp -a ${folder || '<agent folder>'} ${hostFolder}`, { mono: true }),
        'privateKey.pem, publicKey.pem and config.jwe point into the current key generation, so a key rotation switches all three at once. Where links cannot be kept (e.g. an Azure Files share for Azure Container Instances), copy just the agent files: cp -L privateKey.pem config.jwe <destination>.']],
      ['Start the agent', ['Mount the folder at /config. Take the image tag and the agent credentials from the agent template in the Hire2Retire portal; the wizard does not know them.', copyValue(ctx, 'Docker command', run, { mono: true, block: true })]],
      ['Check that it runs', [copyValue(ctx, 'Log command', 'docker logs -f hire2retire-agent', { mono: true }), 'The agent reads /config/privateKey.pem, decrypts its config and connects to your domain controllers.']],
      ['Link the account in the portal', ['In the Hire2Retire portal, open the On-Premise service connection with the values from the summary, paste the public key, and choose "Link account".']],
    ];
    return h('div', null,
      header(ctx, 'Set up the on-prem agent', 'The agent runs inside your network and uses the folder this wizard creates. Follow these steps on the machine that will run it.'),
      folder ? null : notice('warning', 'The agent folder has not been written', 'Go back to the Create step to write it; these instructions apply once it exists.'),
      section(null, h('ol', { class: 'howto' }, steps.map(([title, body], i) =>
        h('li', { class: 'howto-step' }, h('span', { class: 'howto-num', 'aria-hidden': 'true' }, String(i + 1)),
          h('div', { class: 'howto-body' }, h('h3', null, title), ...body.map((b) => (typeof b === 'string' ? h('p', null, b) : b))))))));
  },
};
