/**
 * The SNS side of channels:
 *
 * - e-mail channels share one topic (`CHANNEL_EMAIL_TOPIC_ARN`); each channel's address is subscribed
 *   with a filter policy on the message attribute `channelId`, so an e-mail reaches only its channel's
 *   address (SNS asks the address to confirm first, as for the operators' alerts);
 * - failed first attempts go to the retry topic (`CHANNEL_RETRY_TOPIC_ARN`), which invokes the retry
 *   worker asynchronously (handlers/channel-retry.ts).
 */
import { PublishCommand, type SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import type { RetryJob, RetryQueue } from '../domain/channel-delivery.js';
import type { Channel } from '../domain/channels.js';
import type { ChannelEmailPublisher } from './channel-sender.js';

/** E-mail channels over one SNS topic with a filtered subscription per channel. */
export class SnsEmailChannels implements ChannelEmailPublisher {
  public constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  /** Subscribe `address` to the messages of `channelId`; the subscription's ARN. */
  public async subscribe(address: string, channelId: string): Promise<string> {
    const { SubscriptionArn } = await this.client.send(
      new SubscribeCommand({
        TopicArn: this.topicArn,
        Protocol: 'email',
        Endpoint: address,
        Attributes: { FilterPolicy: JSON.stringify({ channelId: [channelId] }) },
        ReturnSubscriptionArn: true,
      }),
    );
    if (SubscriptionArn === undefined) throw new Error('SNS returned no subscription ARN');
    return SubscriptionArn;
  }

  public async unsubscribe(subscriptionArn: string): Promise<void> {
    await this.client.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
  }

  public async publish(channel: Channel, subject: string, body: string): Promise<void> {
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: subject,
        Message: body,
        MessageAttributes: { channelId: { DataType: 'String', StringValue: channel.channelId } },
      }),
    );
  }
}

/** {@link RetryQueue} over the retry topic. */
export class SnsRetryQueue implements RetryQueue {
  public constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  public async enqueue(job: RetryJob): Promise<void> {
    await this.client.send(new PublishCommand({ TopicArn: this.topicArn, Message: JSON.stringify(job) }));
  }
}
