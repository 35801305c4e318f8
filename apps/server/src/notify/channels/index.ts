// Every notification channel type, one line each.
import type { Logger } from '../../log.ts';
import type { ChannelType } from '../channel.ts';
import { emailChannel } from './email/index.ts';
import { gotifyChannel } from './gotify/index.ts';
import { logChannel } from './log/index.ts';
import { teamsChannel } from './teams/index.ts';
import { webhookChannel } from './webhook/index.ts';

export function channelTypes(log: Logger): readonly ChannelType[] {
  return [emailChannel, teamsChannel, webhookChannel, gotifyChannel, logChannel(log)] as readonly ChannelType[];
}
