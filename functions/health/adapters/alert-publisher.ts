/**
 * The health checker's alert publisher: the alerts topic (as always) and each monitor's own channels
 * (domain/channel-delivery.ts). One place for the scheduled run, the fan-out's slices and the push
 * routes (a ping can raise an alert too), so every alert reaches the same places.
 *
 * SNS (client and adapter) is loaded on the first alert, not at init: most runs change no state.
 */
import { once } from '../../lib/once.js';
import { logger } from '../../lib/powertools.js';
import { ChannelAlertPublisher } from '../domain/channel-delivery.js';
import type { AlertPublisher } from '../domain/ports.js';
import type { ChannelRuntime } from './channel-runtime.js';

/** The publisher of `alertsTopicArn` (a log line without one) and of the monitors' channels. */
export function createAlertPublisher(
  alertsTopicArn: string | undefined,
  channels: ChannelRuntime,
): AlertPublisher {
  const loadTopic = once(async (): Promise<AlertPublisher> => {
    const { LogAlertPublisher, SnsAlertPublisher } = await import('./sns-alerts.js');
    if (alertsTopicArn === undefined) return new LogAlertPublisher(logger);
    const { snsClient } = await import('../../lib/clients/sns.js');
    return new SnsAlertPublisher(snsClient, alertsTopicArn);
  });
  return new ChannelAlertPublisher({ publish: async (alert) => (await loadTopic()).publish(alert) }, () =>
    channels.store === undefined
      ? undefined
      : { channels: channels.store, send: channels.send, retries: channels.retries, logger },
  );
}
