import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.ts';
import type { FsServiceList } from '../../src/components/fs-service-list/fs-service-list.ts';
import type { FsErrorEvent } from '../../src/events/fs-error.ts';
import type { CompanionClient } from '../../src/api/transport/client.ts';
import { fakeClient, LOADED_SERVICES, NETWORK_ERROR_MESSAGE, serviceClients } from '../../stories/fixtures/services.ts';
import { FsError } from '../../src/protocol/errors.ts';

// The states the stories document, driven through the same fake clients; the real companion is
// exercised in fs-picker.test.ts.
async function render(client: CompanionClient): Promise<FsServiceList> {
  return fixture<FsServiceList>(html`<fs-service-list .client=${client}></fs-service-list>`);
}

const state = (list: FsServiceList) => list.shadowRoot!.querySelector('.state');
const buttons = (list: FsServiceList) => [...list.shadowRoot!.querySelectorAll<HTMLButtonElement>('button[data-service]')];

describe('<fs-service-list> states', () => {
  it('announces that it is loading', async () => {
    const list = await render(serviceClients.loading);

    expect(state(list)?.getAttribute('role')).to.equal('status');
    expect(state(list)?.textContent).to.contain('Loading sources…');
  });

  it('shows the error with a retry that loads the list again', async () => {
    let calls = 0;
    const flaky = fakeClient(async () => {
      calls += 1;
      if (calls === 1) throw new FsError('FS_ERR_NETWORK', NETWORK_ERROR_MESSAGE);
      return LOADED_SERVICES.map((service) => ({ ...service }));
    });
    const list = await render(flaky);
    await waitUntil(() => state(list)?.getAttribute('role') === 'alert', 'no error shown');
    expect(state(list)?.textContent).to.contain(NETWORK_ERROR_MESSAGE);

    state(list)!.querySelector('button')!.click();

    await waitUntil(() => buttons(list).length === 3, 'the retry did not load the list');
    expect(calls).to.equal(2);
  });

  it('fires fs-error with the code when loading fails', async () => {
    const list = fixture<FsServiceList>(html`<fs-service-list></fs-service-list>`);
    const element = await list;
    const failed = oneEvent<FsErrorEvent>(element, 'fs-error');
    element.client = serviceClients.error;

    expect((await failed).detail).to.deep.equal({ code: 'FS_ERR_NETWORK', message: NETWORK_ERROR_MESSAGE });
  });

  it('says when the app has no sources', async () => {
    const list = await render(serviceClients.empty);
    await waitUntil(() => state(list)?.textContent?.includes('no sources'), 'no empty message');
  });

  it('marks an unreachable source and does not let it be chosen', async () => {
    const list = await render(serviceClients.alfrescoUnavailable);
    await waitUntil(() => buttons(list).length === 3);
    let changes = 0;
    list.addEventListener('fs-service-change', () => (changes += 1));

    const alfresco = buttons(list)[0]!;
    alfresco.click();

    expect(alfresco.getAttribute('aria-disabled')).to.equal('true');
    expect(alfresco.textContent).to.contain('not reachable right now');
    expect(changes).to.equal(0);
  });

  it('can be used with the keyboard alone', async () => {
    const list = await render(serviceClients.loaded);
    await waitUntil(() => buttons(list).length === 3);
    const chosen = oneEvent(list, 'fs-service-change');

    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });

    expect((await chosen).detail).to.deep.equal({ service: 'COMPUTER' });
  });

  it('is accessible in each state', async () => {
    for (const client of Object.values(serviceClients)) {
      const list = await render(client);
      await list.updateComplete;
      await expect(list).to.be.accessible();
    }
  });
});
