import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../../companion/src/config.ts';
import { addressKey, IN_PROCESS, TrustedProxies } from '../../companion/src/requests/client-address.ts';

describe('the client’s address (requests/client-address.ts)', () => {
  test('without trusted proxies the socket is the client, whatever X-Forwarded-For says', () => {
    const none = new TrustedProxies();
    assert.equal(none.clientOf('192.0.2.1', '203.0.113.9'), '192.0.2.1');
    assert.equal(none.clientOf('::ffff:192.0.2.1', undefined), '192.0.2.1', 'an IPv4 client seen by a dual-stack socket');
    assert.equal(none.clientOf(undefined, '203.0.113.9'), IN_PROCESS);
  });

  test('behind trusted proxies, the rightmost hop that is not one of them', () => {
    const proxies = new TrustedProxies(['10.0.0.0/8', '2001:db8:ffff::/48', '192.0.2.7']);
    assert.equal(proxies.clientOf('10.1.2.3', '203.0.113.9'), '203.0.113.9');
    assert.equal(proxies.clientOf('10.1.2.3', 'spoofed, 198.51.100.1, 203.0.113.9, 192.0.2.7'), '203.0.113.9', 'left of the client is the client’s own writing');
    assert.equal(proxies.clientOf('2001:db8:ffff::1', '203.0.113.9'), '203.0.113.9');
    assert.equal(proxies.clientOf('10.1.2.3', '10.9.9.9, 10.8.8.8'), '10.9.9.9', 'all hops trusted: the leftmost');
    assert.equal(proxies.clientOf('10.1.2.3', 'not-an-address'), '10.1.2.3', 'garbage is not a proxy’s: the proxy stands in');
    assert.equal(proxies.clientOf('10.1.2.3', undefined), '10.1.2.3');
    assert.equal(proxies.clientOf('192.0.2.8', '203.0.113.9'), '192.0.2.8', 'a socket that is no trusted proxy: its header is not read');
  });

  test('rate limits count an IPv6 client by its /64', () => {
    assert.equal(addressKey('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8:1:2::9'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:0db8:0001:0002::9'), '2001:db8:1:2::/64');
    assert.equal(addressKey('192.0.2.1'), '192.0.2.1');
  });

  test('trustedProxies is checked entry by entry', () => {
    assert.throws(
      () => parseConfig({ alfresco: { repositoryUrl: 'http://127.0.0.1:8080' }, apps: [{ apiKey: 'test-app-key', name: 'x', allowedOrigins: [] }], trustedProxies: ['10.0.0.0/8', 'proxy.example.com', '10.0.0.0/33'] }),
      (error: Error) => /trustedProxies\.1: must be IP addresses or CIDR ranges/.test(error.message) && /trustedProxies\.2: must be IP/.test(error.message),
    );
    assert.deepEqual(parseConfig({ alfresco: { repositoryUrl: 'http://127.0.0.1:8080' }, apps: [{ apiKey: 'test-app-key', name: 'x', allowedOrigins: [] }] }).trustedProxies, []);
  });
});
