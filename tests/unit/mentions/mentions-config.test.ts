import { loadConfig } from '../../../src/config/load';
import { problemsOf } from '../../support/config-problems';

const env = { GATEWAY_CONFIG: '/etc/gateway.yaml' };
const load = (yaml: string) => loadConfig(env, () => yaml);

const PEOPLE = `
people:
  dba-oncall: { telegram: "@dba_oncall", wecom: zhangsan, dingtalk: 13800000000, slack: U024BE7LH, feishu: ou_7d8a6e6df7621556ce0d21922b676706, sentry: "dba@example.com" }
  lena: { telegram: "123456789", sentry: "Lena Fischer" }
`;

describe('people and mentions in the config file', () => {
  it('when the DESIGN example is loaded, then every handle is kept, a YAML number read as the digits written', () => {
    const config = load(`${PEOPLE}
mentions:
  - match: { labels: { team: db } }
    people: [dba-oncall]
  - match: { severity: critical }
    all: true
`);
    expect(config.people['dba-oncall']).toEqual({
      telegram: '@dba_oncall', wecom: 'zhangsan', dingtalk: '13800000000', slack: 'U024BE7LH', feishu: 'ou_7d8a6e6df7621556ce0d21922b676706', sentry: 'dba@example.com',
    });
    expect(config.mentions).toEqual([
      { match: { labels: { team: 'db' } }, people: ['dba-oncall'], all: false },
      { match: { severity: 'critical' }, people: [], all: true },
    ]);
  });

  it('when nothing about mentions is configured, then nobody is mentioned and the config still loads', () => {
    const config = load('channels: { ops: { type: console } }\n');
    expect(config.people).toEqual({});
    expect(config.mentions).toEqual([]);
  });

  it('when a rule names an unknown person, then the error gives the path of that name and the people known', () => {
    const problems = problemsOf(() => load(`${PEOPLE}
mentions:
  - match: { labels: { team: db } }
    people: [dba-oncall, dba-onc4ll]
  - people: [toString]
`));
    expect(problems).toEqual([
      'mentions.0.people.1: no person named "dba-onc4ll" in people; known: dba-oncall, lena',
      'mentions.1.people.0: no person named "toString" in people; known: dba-oncall, lena',
    ]);
  });

  it('when a rule names nobody and not all, or misspells a severity, then each is an error at its path', () => {
    const problems = problemsOf(() => load(`${PEOPLE}
mentions:
  - match: { severity: critical }
  - match: { severity: crit }
    people: [lena]
`));
    expect(problems).toEqual(['mentions.0.people: name people, or set all: true', 'mentions.1.match.severity: "crit" is not one of critical, error, warning, info']);
  });

  it('when a handle could break out of its markup, then it is refused with what the provider expects', () => {
    const problems = problemsOf(() => load(`
people:
  eve: { slack: "U1><!channel", wecom: "a>b", feishu: 'ou_1"></at><at user_id="all', telegram: "@x y" }
`));
    expect(problems).toEqual([
      'people.eve.telegram: an @username or a numeric user id',
      'people.eve.wecom: a WeCom userid or a mobile number',
      'people.eve.slack: a Slack member id (U… or W…)',
      'people.eve.feishu: a Feishu open_id (ou_…), user_id or union_id',
    ]);
  });

  it('when a person has a field no provider knows, then the error names it', () => {
    const [problem] = problemsOf(() => load('people:\n  lena: { telegarm: "@lena_f" }\n'));
    expect(problem).toMatch(/^people\.lena: .*telegarm/);
  });
});
