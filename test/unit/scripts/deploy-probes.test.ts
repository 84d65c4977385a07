import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  homeStackOf,
  PROBE_BUILD_DIR,
  parseDeployProbesArgs,
  parseRegionList,
  planProbeDeploy,
} from '../../../scripts/deploy-probes-plan.js';

const samconfig = await readFile(new URL('../../../samconfig.toml', import.meta.url), 'utf8');

describe('npm run deploy:probes', () => {
  it('needs exactly one of --stage and --stack, and names unknown options', () => {
    expect(() => parseDeployProbesArgs([])).toThrow(/one of --stage/);
    expect(() => parseDeployProbesArgs(['--stage', 'dev', '--stack', 'x'])).toThrow(/one of --stage/);
    expect(() => parseDeployProbesArgs(['--stage'])).toThrow(/--stage needs a value/);
    expect(() => parseDeployProbesArgs(['--stage', 'dev', '--force'])).toThrow(/unknown option --force/);
    expect(parseDeployProbesArgs(['--help']).help).toBe(true);
  });

  it('reads a region list once each and refuses what is not a region', () => {
    expect(parseRegionList(' eu-west-1,ap-southeast-2 , eu-west-1,')).toEqual([
      'eu-west-1',
      'ap-southeast-2',
    ]);
    expect(() => parseRegionList('eu-west-1,$(reboot)')).toThrow(/not a region: \$\(reboot\)/);
  });

  it('takes the stack and region of a samconfig stage', () => {
    const options = parseDeployProbesArgs(['--stage', 'dev']);
    const home = homeStackOf(options, samconfig, {});
    expect(home.stackName).toMatch(/dev/);
    expect(home.region).toMatch(/^[a-z]{2}-/);
  });

  it('builds once and deploys one probe stack per region other than the home one', () => {
    const commands = planProbeDeploy({ stackName: 'kumo-dev', region: 'us-east-1' }, [
      'us-east-1',
      'eu-west-1',
      'ap-south-1',
    ]);
    expect(commands[0]).toEqual([
      'sam',
      'build',
      '--template',
      'probe-region.yaml',
      '--build-dir',
      PROBE_BUILD_DIR,
    ]);
    expect(commands.slice(1).map((command) => command[command.indexOf('--region') + 1])).toEqual([
      'eu-west-1',
      'ap-south-1',
    ]);
    expect(commands[1]).toEqual(
      expect.arrayContaining(['--stack-name', 'kumo-dev-probe-region', 'HomeStackName=kumo-dev']),
    );
    expect(planProbeDeploy({ stackName: 'kumo-dev', region: 'us-east-1' }, ['us-east-1'])).toEqual([]);
  });
});
