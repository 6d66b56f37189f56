import net, { type AddressInfo } from 'node:net';

/** A free TCP port on 127.0.0.1 (for a server the test starts, or one whose links must name its port in advance). */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
