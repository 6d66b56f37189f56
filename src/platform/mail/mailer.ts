import type { FastifyBaseLogger } from 'fastify';
import type { Transporter } from 'nodemailer';

/** One message; text is required (every mail client reads it), html optional. */
export interface Mail {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
}

/** Sends mail for every module (notifications, report reminders, alerts); built once per app. */
export interface Mailer {
  /** Resolves when the SMTP server has accepted the message; rejects otherwise (callers queue a job to retry). */
  send(mail: Mail): Promise<void>;
  close(): Promise<void>;
}

/**
 * Mail through an SMTP server (nodemailer: STARTTLS, authentication, pooling and encodings are
 * its job), from `TINHSO_SMTP_URL`, e.g. smtp://user:password@mail.ninhthuan.gov.vn:587.
 */
export class SmtpMailer implements Mailer {
  private transport: Promise<Transporter> | undefined;

  constructor(
    private readonly url: string,
    private readonly from: string,
  ) {}

  // nodemailer is loaded with the first message: most server starts send none.
  private transporter(): Promise<Transporter> {
    return (this.transport ??= import('nodemailer').then((m) => m.default.createTransport(this.url, { from: this.from })));
  }

  async send(mail: Mail): Promise<void> {
    const t = await this.transporter();
    await t.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}) });
  }

  async close(): Promise<void> {
    if (this.transport) (await this.transport).close();
  }
}

/** Without an SMTP server configured: nothing is sent, and the log says so for each message (never silently dropped). */
export class UnconfiguredMailer implements Mailer {
  constructor(private readonly log: FastifyBaseLogger) {}

  async send(mail: Mail): Promise<void> {
    this.log.warn({ to: mail.to, subject: mail.subject }, 'mail not sent: no SMTP server configured (TINHSO_SMTP_URL)');
    throw new Error('no SMTP server configured (TINHSO_SMTP_URL)');
  }

  async close(): Promise<void> {}
}
