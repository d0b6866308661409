import { expect } from '@open-wc/testing';
import { CompanionClient } from '../../../src/api/transport/client.ts';
import { FsError } from '../../../src/protocol/errors.ts';
import { stackUrls } from '../../helpers/stack.ts';

describe('CompanionClient', () => {
  it('lists the app’s services from the real companion', async () => {
    const { companion, apiKey } = await stackUrls();
    const services = await new CompanionClient({ server: `${companion}/`, apiKey }).listServices();

    expect(services.map((service) => service.id)).to.deep.equal(['ALFRESCO', 'CMIS', 'COMPUTER', 'URL']);
    expect(services[0]).to.include({ available: true, detail: 'Alfresco Community 23.2.0' });
  });

  it('rejects with an AbortError when the caller aborts', async () => {
    const { companion, apiKey } = await stackUrls();
    const controller = new AbortController();
    const listing = new CompanionClient({ server: companion, apiKey }).listServices(controller.signal);
    controller.abort();

    const error = await listing.then(() => undefined, (reason: unknown) => reason);
    expect((error as Error).name).to.equal('AbortError');
  });

  it('turns an unreachable companion into FS_ERR_NETWORK naming the server', async () => {
    const error = await new CompanionClient({ server: 'http://127.0.0.1:9', apiKey: 'whatever-key' }).listServices().catch((reason: unknown) => reason);

    expect(error).to.be.instanceOf(FsError);
    expect((error as FsError).code).to.equal('FS_ERR_NETWORK');
    expect((error as FsError).message).to.contain('http://127.0.0.1:9');
  });
});
