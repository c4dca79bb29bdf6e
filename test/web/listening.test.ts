// Where a server listens, as a person can use it: a wildcard host is every interface, never 127.0.0.1.
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { listeningLines } from '../../src/cli/serve.js';
import { listeningAt } from '../../src/web/http.js';

const nic = (address: string, family: 'IPv4' | 'IPv6', internal = false, scopeid = 0) =>
  ({
    address,
    family,
    internal,
    netmask: '',
    mac: '',
    cidr: null,
    ...(family === 'IPv6' ? { scopeid } : {}),
  }) as NetworkInterfaceInfo;

const INTERFACES = {
  lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
  eth0: [nic('192.168.1.20', 'IPv4'), nic('2001:db8::20', 'IPv6'), nic('fe80::1', 'IPv6', false, 2)],
};

describe('listeningAt', () => {
  it('0.0.0.0: localhost, then every IPv4 address of this machine', () => {
    expect(listeningAt('0.0.0.0', 8421, INTERFACES)).toEqual({
      host: '0.0.0.0',
      port: 8421,
      everyInterface: true,
      urls: [
        { url: 'http://localhost:8421/', loopback: true },
        { url: 'http://192.168.1.20:8421/', loopback: false },
      ],
    });
  });

  it('::: both families, IPv6 in brackets, link-local left out (a URL cannot carry its zone)', () => {
    expect(listeningAt('::', 8421, INTERFACES).urls.map((url) => url.url)).toEqual([
      'http://localhost:8421/',
      'http://192.168.1.20:8421/',
      'http://[2001:db8::20]:8421/',
    ]);
  });

  it('one address: that address, loopback or not', () => {
    expect(listeningAt('127.0.0.1', 80, INTERFACES).urls).toEqual([{ url: 'http://127.0.0.1:80/', loopback: true }]);
    expect(listeningAt('::1', 80, INTERFACES).urls).toEqual([{ url: 'http://[::1]:80/', loopback: true }]);
    expect(listeningAt('192.168.1.20', 80, INTERFACES)).toMatchObject({
      everyInterface: false,
      urls: [{ url: 'http://192.168.1.20:80/', loopback: false }],
    });
  });
});

describe("serve's lines", () => {
  it('say every interface, each URL, and that mining from another machine needs a secure context', () => {
    const lines = listeningLines(listeningAt('0.0.0.0', 8421, INTERFACES));
    expect(lines[0]).toBe('serving the web app on every interface (0.0.0.0), port 8421 (Ctrl-C stops)');
    expect(lines.slice(1, 3)).toEqual([
      '  http://localhost:8421/  (this machine)',
      '  http://192.168.1.20:8421/  (from another machine)',
    ]);
    expect(lines[3]).toMatch(
      /^note: a browser mines .* only in a secure context: from localhost on this machine, or over https/,
    );
  });

  it('say only the address for this machine alone', () => {
    expect(listeningLines(listeningAt('127.0.0.1', 8421, INTERFACES))).toEqual([
      'serving the web app at http://127.0.0.1:8421/ (Ctrl-C stops)',
    ]);
  });
});
