import { loadSettings } from '../../../lambdas/scanner/settings';

const NAMES = ['ALLOWED_OPEN_PORTS', 'ALLOWED_OPEN_UDP_PORTS'] as const;
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));

afterEach(() => {
  for (const n of NAMES) {
    if (saved[n] === undefined) delete process.env[n];
    else process.env[n] = saved[n];
  }
});

describe('scanner settings: EC2.18 allow-lists', () => {
  it('allows TCP 80 and 443 and no UDP port when nothing is set (Security Hub defaults)', () => {
    // Arrange
    for (const n of NAMES) delete process.env[n];

    // Act
    const settings = loadSettings();

    // Assert
    expect(settings.allowedOpenPorts).toEqual([80, 443]);
    expect(settings.allowedOpenUdpPorts).toEqual([]);
  });

  it('reads ALLOWED_OPEN_UDP_PORTS, a blank value meaning none', () => {
    // Arrange
    process.env.ALLOWED_OPEN_UDP_PORTS = '53, 123';

    // Act / Assert
    expect(loadSettings().allowedOpenUdpPorts).toEqual([53, 123]);
    process.env.ALLOWED_OPEN_UDP_PORTS = '';
    expect(loadSettings().allowedOpenUdpPorts).toEqual([]);
  });

  it('names ALLOWED_OPEN_UDP_PORTS when one of its ports is not a port', () => {
    // Arrange
    process.env.ALLOWED_OPEN_UDP_PORTS = '53,dns';

    // Act / Assert
    expect(() => loadSettings()).toThrow(
      'Environment variable ALLOWED_OPEN_UDP_PORTS must list ports 0-65535, got "dns"',
    );
  });
});
