import PostalMime, { type Email } from 'postal-mime';
import { SMTPServer } from 'smtp-server';

/** A message as the server took it: envelope sender and recipients, and the raw message. */
export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
}

/** A real SMTP server on a local port (smtp-server), as a province's mail relay would be; what it takes is in `received`. */
export async function startSmtp(): Promise<{
  port: number;
  url: string;
  received: ReceivedMail[];
  /** The mails to an address once at least `n` have come (or after 10 s), parsed as a mail client would (postal-mime). */
  mailsTo(address: string, n: number): Promise<Email[]>;
  close(): Promise<void>;
}> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  const mailsTo = async (address: string, n: number) => {
    const to = () => received.filter((m) => m.to.includes(address));
    for (let i = 0; i < 200 && to().length < n; i++) await new Promise((r) => setTimeout(r, 50));
    return Promise.all(to().map((m) => PostalMime.parse(m.data)));
  };
  return { port, url: `smtp://127.0.0.1:${port}`, received, mailsTo, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
