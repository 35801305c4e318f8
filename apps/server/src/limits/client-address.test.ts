import { describe, expect, it } from 'vitest';
import { addressKey, forwardedFor } from './client-address.ts';

describe('the client address behind proxies', () => {
  it.each<[string, string | string[] | undefined, number, string]>([
    ['no trusted proxy: the header is ignored', '6.6.6.6', 0, '10.0.0.1'],
    ['no header', undefined, 1, '10.0.0.1'],
    ['one proxy: the entry it appended', '6.6.6.6, 203.0.113.7', 1, '203.0.113.7'],
    ['two proxies: the entry the outer one appended', '6.6.6.6, 203.0.113.7, 10.0.0.9', 2, '203.0.113.7'],
    ['fewer entries than proxies: the leftmost', '203.0.113.7', 2, '203.0.113.7'],
    ['repeated headers are one list', ['6.6.6.6', '203.0.113.7'], 1, '203.0.113.7'],
    ['a port the proxy added', '203.0.113.7:51234', 1, '203.0.113.7'],
    ['a bracketed IPv6 with port', '[2001:db8::1]:443', 1, '2001:db8::1'],
    ['not an address: the peer', 'unknown', 1, '10.0.0.1'],
    ['an empty header: the peer', ' , ', 1, '10.0.0.1'],
  ])('%s', (_name, header, hops, expected) => {
    expect(forwardedFor(header, '10.0.0.1', hops)).toBe(expected);
  });
});

describe('the key an address is limited under', () => {
  it.each<[string, string]>([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['::1', '0:0:0:0::/64'],
    ['2001:db8:aa:bb:1:2:3:4', '2001:db8:aa:bb::/64'],
    ['2001:db8:aa:bb:ffff::9', '2001:db8:aa:bb::/64'],
    ['2001:0db8:00aa:00bb::', '2001:db8:aa:bb::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0:0::/64'],
    ['', 'unknown'],
  ])('%s → %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});
