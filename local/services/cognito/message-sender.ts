import type { MessageSender } from 'cognito-local/lib/services/messageDelivery/messageSender.js';
import type { LocalLogger } from '../../types.js';

/** A confirmation or reset code the local pools "sent", for the log and `GET /_kumo/codes`. */
export interface SentCode {
  time: string;
  userPoolId?: string;
  username: string;
  destination: string;
  code: string;
}

/** How many sent codes `GET /_kumo/codes` keeps. */
const RECENT_CODES = 50;

/**
 * Instead of e-mail or SMS: one log line per code (`[cognito] confirmation code for x@y: 123456`) and a
 * list of the recent ones; with auto-confirm on, sign-ups are confirmed and no code is printed.
 */
export class LoggingMessageSender implements MessageSender {
  readonly #log: LocalLogger;
  readonly #autoConfirm: boolean;
  readonly #recent: SentCode[] = [];

  constructor(log: LocalLogger, autoConfirm: boolean) {
    this.#log = log;
    this.#autoConfirm = autoConfirm;
  }

  sendEmail: MessageSender['sendEmail'] = (_ctx, user, destination, message) =>
    this.#send(user, destination, message);
  sendSms: MessageSender['sendSms'] = (_ctx, user, destination, message) =>
    this.#send(user, destination, message);

  /** The most recent codes, oldest first. */
  recent(): SentCode[] {
    return [...this.#recent];
  }

  async #send(
    user: Parameters<MessageSender['sendEmail']>[1],
    destination: string,
    message: Parameters<MessageSender['sendEmail']>[3],
  ): Promise<void> {
    const code = message.__code;
    const signUp = user.UserStatus === 'UNCONFIRMED';
    if (signUp && this.#autoConfirm) {
      this.#log.event(
        'cognito',
        `${destination} signed up; confirmed at once (cognito.autoConfirm in kumo.local.json)`,
      );
      return;
    }
    if (code === undefined) return;
    const what = signUp ? 'confirmation code' : 'code';
    this.#log.event('cognito', `${what} for ${destination}: ${code}`);
    this.#recent.push({ time: new Date().toISOString(), username: user.Username, destination, code });
    if (this.#recent.length > RECENT_CODES) this.#recent.shift();
  }
}
