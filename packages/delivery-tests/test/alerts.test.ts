import { join } from 'node:path';
import { describeWithTool } from '@toasties/testkit';
import { readYaml } from './support/files';
import { repoRoot, run } from './support/run';
import { PROMTOOL } from './support/system-tools';

// The alerting rules are checked and unit-tested by Prometheus' own promtool.
const dir = join(repoRoot, 'docker', 'prometheus');
const promtool = (...args: string[]) => run('promtool', args, { cwd: dir });

describeWithTool(PROMTOOL, 'promtool on the alerting rules', () => {
  test('promtool check rules accepts alerts.yml', () => {
    const ran = promtool('check', 'rules', 'alerts.yml');
    expect(`${ran.stdout}${ran.stderr}`).toMatch(/SUCCESS: 6 rules found/);
    expect(ran.status).toBe(0);
  });

  test('promtool test rules: every alert fires on its case and not on its near miss', () => {
    const ran = promtool('test', 'rules', 'alerts.test.yml');
    expect(`${ran.stdout}${ran.stderr}`).toMatch(/SUCCESS/);
    expect(ran.status).toBe(0);
  });
});

describe('alerting rules and scrape config', () => {
  test('the alerts the talk promises exist, and each has a unit test', () => {
    const rules = readYaml<{ groups: { rules: { alert: string }[] }[] }>('docker/prometheus/alerts.yml').groups.flatMap((group) => group.rules.map((rule) => rule.alert));
    expect(rules).toEqual(expect.arrayContaining(['HighErrorRate', 'SlowRequests', 'TargetDown', 'NotReady', 'LowStock']));
    const tests = readYaml<{ tests: { alert_rule_test: { alertname: string }[] }[] }>('docker/prometheus/alerts.test.yml').tests;
    const tested = new Set(tests.flatMap((t) => t.alert_rule_test.map((a) => a.alertname)));
    expect(rules.filter((name) => !tested.has(name))).toEqual([]);
  });

  test('Prometheus scrapes both services and loads the rules', () => {
    const config = readYaml<{ rule_files: string[]; scrape_configs: { job_name: string }[] }>('docker/prometheus/prometheus.yml');
    expect(config.rule_files).toEqual(['alerts.yml']);
    expect(config.scrape_configs.map((job) => job.job_name).sort()).toEqual(['chillybin', 'jafflr']);
  });
});
