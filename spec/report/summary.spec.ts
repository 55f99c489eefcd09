import { parse } from 'yaml';
import { GroupSummaryInput, buildSummary, formatSummaryYaml } from '../../lib/report/summary';

const group = (latency: number, wallTimeS: number): GroupSummaryInput => ({
  latency,
  latencyPerIteration: latency,
  iterations: 1,
  overlap: 0,
  wallTimeS,
  objectives: { latency: latency + 6, offchipTraffic: 2019328, buffering: 10 },
  solve: { backend: 'highs', status: 'OPTIMAL', objective: 10, mipGap: 0, solveTimeS: 0.002, variables: 345, constraints: 823 },
  macSpatialUtilization: 0.4155,
  endToEndMacUtilization: 0.1004,
  fallbackNodes: [],
});

describe('summary.yaml', () => {
  it('starts with the reference lines of the quick start', () => {
    const text = formatSummaryYaml(buildSummary({ groups: [group(14344, 9.561)] }));
    expect(text.split('\n').slice(0, 7).join('\n')).toBe(
      ['total_latency: 14344.0', 'total_wall_time_s: 9.56', 'groups:', '  group_0:', '    latency: 14344', '    percentage: 100.0', '    wall_time_s: 9.56'].join('\n'),
    );
    expect(parse(text).group_latencies).toEqual({ 0: 14344 });
  });

  it('shares the total between groups with two-decimal percentages', () => {
    const s = buildSummary({ groups: [group(1, 0.1), group(2, 0.2)] });
    expect(s.total_latency).toBe(3);
    expect(s.total_wall_time_s).toBe(0.3);
    expect([s.groups.group_0.percentage, s.groups.group_1.percentage]).toEqual([33.33, 66.67]);
    expect(buildSummary({ groups: [group(0, 0)] }).groups.group_0.percentage).toBe(0);
  });
});
