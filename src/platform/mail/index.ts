export { SmtpMailer, UnconfiguredMailer, type Mail, type Mailer } from './mailer.js';
