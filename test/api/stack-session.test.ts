import { expect } from '@open-wc/testing';
import { stackSession, stackUrls } from '../helpers/stack.ts';

describe('stack session helper', () => {
  it('signs a user in and the companion accepts the session from this page', async () => {
    const { companion, apiKey } = await stackUrls();
    const { session, user } = await stackSession('abeecher');
    expect(user.id).to.equal('abeecher');

    const response = await fetch(`${companion}/api/session?key=${apiKey}`, { headers: { Authorization: `Bearer ${session}` } });
    expect(response.status).to.equal(200);
    expect(((await response.json()) as { user: { id: string } }).user.id).to.equal('abeecher');
  });
});
