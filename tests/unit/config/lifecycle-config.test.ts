import { loadConfig } from '../../../src/config/load';
import { lifecyclePolicy } from '../../../src/lifecycle/config';
import { problemsOf } from '../../support/config-problems';

const load = (yaml: string) => loadConfig({ GATEWAY_CONFIG: 'gw.yaml' }, () => yaml);
const TELEGRAM = 'type: telegram, botToken: "1:x", chatId: "-100"';

describe('lifecycle config', () => {
  it('when nothing is set, then edits are on, every 10 s at most, resolved edits and replies, and state is kept 7 days', () => {
    expect(load(`channels: { ops: { ${TELEGRAM} } }`).lifecycle).toEqual({ edit: true, editInterval: 10_000, resolved: 'both', ttl: 7 * 86_400_000 });
  });

  it('when a channel sets its own lifecycle, then its keys override the top-level ones and the rest are inherited', () => {
    const config = load(`lifecycle: { editInterval: 30s, resolved: reply }\nchannels:\n  ops: { ${TELEGRAM}, lifecycle: { resolved: edit } }\n  quiet: { ${TELEGRAM}, lifecycle: { edit: false } }`);
    expect(lifecyclePolicy(config.lifecycle, config.channels.ops!.lifecycle, true)).toEqual({ enabled: true, edit: true, editIntervalMs: 30_000, resolved: 'edit', ttlMs: 7 * 86_400_000 });
    expect(lifecyclePolicy(config.lifecycle, config.channels.quiet!.lifecycle, true)).toMatchObject({ enabled: false, edit: false });
  });

  it('when the channel cannot edit (a robot), then its policy never edits but still follows up', () => {
    const config = load('channels: { ops: { type: wecom, key: k } }');
    expect(lifecyclePolicy(config.lifecycle, config.channels.ops!.lifecycle, false)).toMatchObject({ enabled: true, edit: false });
  });

  it('when lifecycle values are wrong, then each problem names its path', () => {
    expect(problemsOf(() => load(`lifecycle: { resolved: sometimes, editInterval: 100ms, colour: red }\nchannels: { ops: { ${TELEGRAM}, lifecycle: { ttl: soon } } }`))).toEqual([
      'lifecycle.editInterval: at least 1s',
      'lifecycle.resolved: Invalid option: expected one of "edit"|"reply"|"both"',
      'lifecycle: Unrecognized key: "colour"',
      expect.stringMatching(/^channels.ops.lifecycle.ttl: "soon" is not a duration/),
    ]);
  });
});
