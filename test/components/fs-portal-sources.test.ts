import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { StoryContext, StoryObj } from '@storybook/web-components-vite';
import { sendKeys } from '@web/test-runner-commands';
import { PortalError, type PortalApp } from '../../companion/portal/api.ts';
import type { FsPortalSources } from '../../companion/portal/fs-portal-sources.ts';
import { CONFIGURED_APP, DEV_APP, FakePortalApi, fill, portalElement, portalPage, portalPanel, press, settled, type FakePortalOptions } from '../../stories/fixtures/portal.ts';
import * as stories from '../../stories/portal-sources.stories.ts';

/** The Sources panel for `app`, on the page, with the fake portal API (stories/fixtures/portal.ts). */
async function render(app: PortalApp, options: FakePortalOptions = {}): Promise<FsPortalSources> {
  const wrapper = await fixture(html`<div></div>`);
  const panel = portalPanel('fs-portal-sources', app, options);
  wrapper.append(panel);
  await settled(panel);
  return panel;
}

const $ = <T extends Element = HTMLInputElement>(panel: FsPortalSources, selector: string): T => {
  const found = panel.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found;
};
const service = (panel: FsPortalSources, id: string) => $(panel, `input[name="services"][value="${id}"]`);
/** The text of what an element's aria-describedby points at. */
const description = (panel: FsPortalSources, element: Element): string =>
  (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => panel.shadowRoot!.getElementById(id)?.textContent?.trim() ?? `(missing #${id})`)
    .join(' | ');
const lastPatch = (panel: FsPortalSources) => (panel.api as FakePortalApi).calls.filter((call) => call.method === 'PATCH').at(-1)?.body;

describe('<fs-portal-sources>', function () {
  this.timeout(20000);

  it('offers WebDAV and CMIS only once their URL is entered, and says so beside each', async () => {
    const panel = await render(DEV_APP);
    for (const [id, field] of [
      ['WEBDAV', 'WebDAV server URL'],
      ['CMIS', 'CMIS browser binding URL'],
    ] as const) {
      expect(service(panel, id).disabled, id).to.equal(true);
      expect(service(panel, id).checked, id).to.equal(false);
      expect(description(panel, service(panel, id))).to.contain(`Enter the ${field} above to offer`);
    }
    expect(['ALFRESCO', 'COMPUTER', 'URL'].map((id) => service(panel, id).checked)).to.deep.equal([true, true, true]);
  });

  it('is done with the keyboard: a URL typed offers its source, Space unticks a service, arrows choose the sign-in, Enter saves', async () => {
    const panel = await render(DEV_APP);
    $(panel, '#field-webdavUrl').focus();
    await sendKeys({ type: 'https://cloud.example.com/remote.php/dav/files/' });
    await panel.updateComplete;
    expect([service(panel, 'WEBDAV').disabled, service(panel, 'WEBDAV').checked]).to.deep.equal([false, true]);

    $(panel, '#field-cmisUrl').focus();
    await sendKeys({ type: 'https://alfresco.example.com/alfresco/api/-default-/public/cmis/versions/1.1/browser' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: '-default-' });
    await sendKeys({ press: 'Tab' });
    expect((panel.shadowRoot!.activeElement as HTMLInputElement).value, 'Tab reaches the checked sign-in').to.equal('password');
    await sendKeys({ press: 'ArrowDown' });
    expect($(panel, 'input[value="alfresco"]').checked).to.equal(true);

    service(panel, 'COMPUTER').focus();
    await sendKeys({ press: 'Space' });
    await panel.updateComplete;
    expect(service(panel, 'COMPUTER').checked).to.equal(false);

    $(panel, '#field-webdavUrl').focus();
    const changed = oneEvent(panel, 'fs-portal-app-change');
    await sendKeys({ press: 'Enter' });
    const app = ((await changed) as CustomEvent<PortalApp>).detail;
    await settled(panel);
    expect(lastPatch(panel)).to.deep.equal({
      webdav: { url: 'https://cloud.example.com/remote.php/dav/files/' },
      cmis: { url: 'https://alfresco.example.com/alfresco/api/-default-/public/cmis/versions/1.1/browser', repositoryId: '-default-', signIn: 'alfresco' },
      services: ['ALFRESCO', 'URL', 'WEBDAV', 'CMIS'],
    });
    expect([app.webdav?.url, app.cmis?.signIn, app.services]).to.deep.equal(['https://cloud.example.com/remote.php/dav/files/', 'alfresco', ['ALFRESCO', 'URL', 'WEBDAV', 'CMIS']]);
    expect($(panel, '[role="status"]').textContent).to.equal('Sources saved.');
  });

  it('a URL cleared turns its source off and stops offering it', async () => {
    const panel = await render(CONFIGURED_APP);
    expect(service(panel, 'CMIS').checked).to.equal(true);
    fill(panel, '#field-cmisUrl', '');
    await panel.updateComplete;
    expect([service(panel, 'CMIS').disabled, service(panel, 'CMIS').checked]).to.deep.equal([true, false]);
    await press(panel, 'Save sources');
    expect(lastPatch(panel)).to.deep.include({ cmis: null, services: ['ALFRESCO', 'WEBDAV', 'COMPUTER', 'URL'] });
    expect(panel.app!.cmis).to.equal(null);
  });

  it('names each error beside its field: the URLs, and the services', async () => {
    const panel = await render(DEV_APP);
    fill(panel, '#field-webdavUrl', 'cloud.example.com/dav');
    fill(panel, '#field-cmisUrl', 'ftp://cmis.example.com/browser');
    await press(panel, 'Save sources');
    for (const [field, label] of [
      ['#field-webdavUrl', 'WebDAV server URL'],
      ['#field-cmisUrl', 'CMIS browser binding URL'],
    ] as const) {
      expect($(panel, field).getAttribute('aria-invalid'), field).to.equal('true');
      expect(description(panel, $(panel, field))).to.contain(`${label}: must be an http(s) URL`);
    }
    expect($(panel, '[role="status"]').textContent).to.equal('Not saved: correct the fields marked below.');

    const refused = await render(CONFIGURED_APP, {
      refuse: { 'PATCH apps/': () => new PortalError('"services" names CMIS …', 400, 'FS_ERR_INVALID_OPTION', { services: 'names CMIS, but the app has no CMIS source' }) },
    });
    await press(refused, 'Save sources');
    const group = $(refused, 'fieldset[aria-describedby^="services-hint"]');
    expect(description(refused, group)).to.contain('Services: names CMIS, but the app has no CMIS source');
    await expect(refused).to.be.accessible();
  });

  it('in the page, what was typed for one app is gone when another app is chosen', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div></div>`);
    const page = portalPage(new FakePortalApi({ signedIn: true, apps: [DEV_APP, { ...CONFIGURED_APP, webdav: null }] }));
    wrapper.append(page);
    const panel = await portalElement(page.shadowRoot!, 'fs-portal-sources');
    fill(panel, '#field-webdavUrl', 'https://typed-but-not-saved.example.com/dav/');
    await panel.updateComplete;
    expect(service(panel, 'WEBDAV').disabled).to.equal(false);
    const chooser = page.shadowRoot!.querySelector<HTMLSelectElement>('#app')!;
    chooser.value = CONFIGURED_APP.id;
    chooser.dispatchEvent(new Event('change'));
    await page.updateComplete;
    await settled(panel);
    expect($(panel, '#field-webdavUrl').value).to.equal('');
    expect([service(panel, 'WEBDAV').disabled, service(panel, 'CMIS').checked]).to.deep.equal([true, true]);
  });
});

/** Every story of the panel, its play function done, in the light and the dark theme. */
describe('<fs-portal-sources> stories', function () {
  this.timeout(20000);

  for (const [name, story] of Object.entries(stories).filter(([key]) => key !== 'default')) {
    for (const theme of ['light', 'dark']) {
      it(`the ${name} story has no axe violations (${theme})`, async () => {
        const { render: draw, play } = story as StoryObj;
        const wrapper = await fixture<HTMLElement>(html`<div></div>`);
        const panel = draw!({}, {} as never) as FsPortalSources;
        panel.setAttribute('theme', theme);
        wrapper.append(panel);
        await settled(panel);
        await play?.({ canvasElement: wrapper } as unknown as StoryContext);
        await settled(panel);
        // The theme is on, so axe checks its colours (the dark surface is #161b26).
        expect(getComputedStyle($(panel, 'section')).backgroundColor === 'rgb(22, 27, 38)', 'dark surface').to.equal(theme === 'dark');
        await expect(panel).to.be.accessible();
      });
    }
  }
});
