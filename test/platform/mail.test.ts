import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';
import { silentLogger } from '../../src/app/index.js';
import { SmtpMailer, UnconfiguredMailer } from '../../src/platform/mail/index.js';
import { startSmtp, type ReceivedMail } from '../helpers/smtp.js';

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let port = 0;
let received: ReceivedMail[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  port = smtp.port;
  received = smtp.received;
});
afterAll(() => smtp.close());

describe('mailer', () => {
  it('delivers a Vietnamese message through SMTP, From and envelope as configured', async () => {
    const mailer = new SmtpMailer(`smtp://127.0.0.1:${port}`, 'Tỉnh Số Ninh Thuận <no-reply@ninhthuan.tinhso.vn>');
    try {
      await mailer.send({
        to: ['khcn@ninhthuan.gov.vn', 'tnmt@ninhthuan.gov.vn'],
        subject: 'Nhắc nộp báo cáo trước 15/11',
        text: 'Kính gửi Sở: hạn nộp báo cáo là ngày 15/11.',
      });
    } finally {
      await mailer.close();
    }
    expect(received).toHaveLength(1);
    const [m] = received;
    expect(m!.from).toBe('no-reply@ninhthuan.tinhso.vn');
    expect(m!.to).toEqual(['khcn@ninhthuan.gov.vn', 'tnmt@ninhthuan.gov.vn']);
    // Parsed back as a mail client would (postal-mime): the Vietnamese subject and body intact.
    const parsed = await PostalMime.parse(m!.data);
    expect(parsed.subject).toBe('Nhắc nộp báo cáo trước 15/11');
    expect(parsed.text?.trim()).toBe('Kính gửi Sở: hạn nộp báo cáo là ngày 15/11.');
    expect(parsed.from?.name).toBe('Tỉnh Số Ninh Thuận');
  });

  it('refuses, and says so, when no SMTP server is configured', async () => {
    const mailer = new UnconfiguredMailer(silentLogger());
    await expect(mailer.send({ to: 'a@b.vn', subject: 'x', text: 'y' })).rejects.toThrow(/no SMTP server configured/);
  });

  it('rejects when the SMTP server refuses the message', async () => {
    const strict = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], onRcptTo: (_a, _s, cb) => cb(new Error('no such mailbox')) });
    await new Promise<void>((resolve) => strict.listen(0, '127.0.0.1', () => resolve()));
    const mailer = new SmtpMailer(`smtp://127.0.0.1:${(strict.server.address() as { port: number }).port}`, 'no-reply@x.vn');
    try {
      await expect(mailer.send({ to: 'nobody@x.vn', subject: 's', text: 't' })).rejects.toThrow();
    } finally {
      await mailer.close();
      await new Promise<void>((resolve) => strict.close(() => resolve()));
    }
  });
});
