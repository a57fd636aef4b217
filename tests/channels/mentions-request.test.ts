import type { RenderedMessage } from '../../src/channels/channel';
import { channelSchema } from '../../src/channels/config';
import { createChannels } from '../../src/channels/registry';
import type { Mentions } from '../../src/mentions/mentions';
import { parseTelegramHtml } from '../fakes/telegram-html';
import { FAKE_WECOM_KEY, startFakeWecom, type FakeWecom } from '../fakes/fake-wecom';

// What each provider's request carries for the same two people (docs/providers.md §1.5, §2.2, §3.2, §5.5, §6.2).
const dba = { name: 'dba-oncall', telegram: '@dba_oncall', wecom: 'zhangsan', dingtalk: '13800000000', slack: 'U024BE7LH', feishu: 'ou_7d8a6e6df7621556ce0d21922b676706' };
const lena = { name: 'lena', telegram: '123456789', wecom: '13900001111', dingtalk: 'lena.f', slack: 'W0LENA42', feishu: 'ou_lena' };
const base: RenderedMessage = { title: '[CRITICAL] disk full', text: '<b>disk full</b> on db-1', status: 'firing', severity: 'critical' };
const withMentions = (mentions: Mentions): RenderedMessage => ({ ...base, mentions });

function channel(raw: Record<string, unknown>) {
  const written: string[] = [];
  const channels = createChannels({ ch: channelSchema.parse(raw) }, { writeConsole: (text) => written.push(text) });
  return { channel: channels.get('ch')!, written };
}
const bodyOf = (raw: Record<string, unknown>, message: RenderedMessage) => channel(raw).channel.preview(message).body as Record<string, unknown>;

describe('mentions in each provider\'s request', () => {
  it('when a Telegram message mentions people, then a last line holds @username, and a tg://user link for a numeric id, and the HTML still parses', () => {
    const body = bodyOf({ type: 'telegram', botToken: '1:x', chatId: '-100123' }, withMentions({ people: [dba, lena], all: true }));
    expect(body.text).toBe('<b>disk full</b> on db-1\n\n@dba_oncall <a href="tg://user?id=123456789">lena</a>');
    expect(parseTelegramHtml(body.text as string)).toEqual({ ok: true, text: 'disk full on db-1\n\n@dba_oncall lena' });
  });

  it('when a Telegram message is as long as Telegram allows, then the text is cut and the mention still arrives', () => {
    const body = bodyOf({ type: 'telegram', botToken: '1:x', chatId: '-100123' }, { ...withMentions({ people: [dba], all: false }), text: 'x'.repeat(4096) });
    const parsed = parseTelegramHtml(body.text as string);
    expect(parsed.ok && Array.from(parsed.text).length).toBeLessThanOrEqual(4096);
    expect((body.text as string).endsWith('\n\n@dba_oncall')).toBe(true);
  });

  it('when a WeCom markdown message mentions people, then userids are written <@userid> after the channel\'s own, and a mobile is left out', () => {
    const body = bodyOf({ type: 'wecom', key: 'k', mentionUserIds: ['wangqing', 'zhangsan'] }, withMentions({ people: [dba, lena], all: true }));
    expect(body).toEqual({ msgtype: 'markdown', markdown: { content: '<b>disk full</b> on db-1\n<@wangqing> <@zhangsan>' } });
  });

  it('when a WeCom text message mentions people, then userids and @all go in mentioned_list and mobiles in mentioned_mobile_list', () => {
    const body = bodyOf({ type: 'wecom', key: 'k', msgType: 'text', mentionMobiles: ['13800001111'] }, withMentions({ people: [dba, lena], all: true }));
    expect(body.text).toEqual({ content: base.text, mentioned_list: ['zhangsan', '@all'], mentioned_mobile_list: ['13800001111', '13900001111'] });
  });

  it('when a DingTalk message mentions people, then at lists the mobile and the userId and the text carries @ for each', () => {
    const body = bodyOf({ type: 'dingtalk', accessToken: 't', mentionMobiles: ['13800001111'] }, withMentions({ people: [dba, lena], all: false }));
    expect(body.at).toEqual({ atMobiles: ['13800001111', '13800000000'], atUserIds: ['lena.f'], isAtAll: false });
    expect((body.markdown as { text: string }).text.endsWith('\n\n@13800001111 @13800000000 @lena.f')).toBe(true);
    const text = bodyOf({ type: 'dingtalk', accessToken: 't', msgType: 'text' }, withMentions({ people: [dba], all: true }));
    expect(text).toMatchObject({ text: { content: expect.stringMatching(/\n\n@13800000000$/) }, at: { atMobiles: ['13800000000'], isAtAll: true } });
  });

  it('when a Slack message mentions people, then <@U…> and <!channel> follow the headline in the message\'s own section', () => {
    const body = bodyOf({ type: 'slack', webhookUrl: 'https://hooks.slack.com/services/T0/B0/x' }, { ...withMentions({ people: [dba, lena], all: true }), text: '*disk full*\ndb-1' });
    expect((body.blocks as unknown[])[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*disk full*\n<@U024BE7LH> <@W0LENA42> <!channel>' } });
  });

  it('when a Feishu message mentions people, then a text message holds <at user_id> tags and a card a lark_md element with <at id>', () => {
    const text = bodyOf({ type: 'feishu', token: 't', msgType: 'text' }, withMentions({ people: [dba], all: true }));
    expect((text.content as { text: string }).text.endsWith(`\n<at user_id="${dba.feishu}"></at> <at user_id="all"></at>`)).toBe(true);
    const card = bodyOf({ type: 'feishu', token: 't' }, withMentions({ people: [dba, lena], all: false }));
    expect((card.card as { elements: unknown[] }).elements).toContainEqual({ tag: 'div', text: { tag: 'lark_md', content: `<at id=${dba.feishu}></at> <at id=ou_lena></at>` } });
  });

  it('when a message mentions nobody, then every request is what it was without mentions', () => {
    for (const raw of [{ type: 'telegram', botToken: '1:x', chatId: '-100123' }, { type: 'wecom', key: 'k' }, { type: 'dingtalk', accessToken: 't' }, { type: 'feishu', token: 't' }]) {
      expect(bodyOf(raw, withMentions({ people: [], all: false }))).toEqual(bodyOf(raw, base));
    }
  });

  it('when the console prints a message that mentions people, then a last line names them as config does', async () => {
    const { channel: console, written } = channel({ type: 'console' });
    await console.send(withMentions({ people: [dba, lena], all: true }), new AbortController().signal);
    expect(written).toEqual([`=== [ch] ${base.title} ===\n${base.text}\nmentions: dba-oncall, lena, @all\n`]);
  });
});

describe('WeCom markdown and what it cannot mention', () => {
  let fake: FakeWecom;
  beforeEach(async () => {
    fake = await startFakeWecom();
  });
  afterEach(() => fake.close());

  it('when a person is known to WeCom only by mobile, then the message is delivered and the receipt warns who was not mentioned and why', async () => {
    const { channel: wecom } = channel({ type: 'wecom', apiUrl: fake.url, key: FAKE_WECOM_KEY });
    const receipt = await wecom.send(withMentions({ people: [dba, lena], all: true }), new AbortController().signal);
    expect(receipt.warning).toBe('WeCom markdown cannot mention mobile 13900001111, @all: give those people a wecom userid, or set msgType: text');
    expect((await wecom.send(withMentions({ people: [dba], all: true }), new AbortController().signal)).warning).toBe('WeCom markdown cannot mention @all: set msgType: text');
    const [sent] = await fake.waitForRequests(1);
    expect((sent!.body as { markdown: { content: string } }).markdown.content.endsWith('\n<@zhangsan>')).toBe(true);
    expect(await wecom.send(withMentions({ people: [dba], all: false }), new AbortController().signal)).toEqual({});
  });
});
