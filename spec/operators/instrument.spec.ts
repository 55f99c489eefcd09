import { firstValueFrom, from, map, mergeMap, of, throwError, toArray } from 'rxjs';
import { instrument } from '../../operators/instrument';
import { ProgressEvent } from '../../operators/progress';

function recorder() {
  const events: ProgressEvent[] = [];
  return { events, sink: { emit: (e: ProgressEvent) => events.push(e) } };
}

describe('instrument', () => {
  it('reports start and end around each snapshot, labelled with its group', async () => {
    const { events, sink } = recorder();
    const doubled = await firstValueFrom(
      from([{ group: 0, v: 1 }, { group: 1, v: 2 }]).pipe(
        instrument('double', map((s) => ({ ...s, v: s.v * 2 })), sink, (s) => s.group),
        toArray(),
      ),
    );
    expect(doubled.map((s) => s.v)).toEqual([2, 4]);
    expect(events.map((e) => (e.type === 'stage' ? `${e.phase}:${e.group}` : e.type))).toEqual([
      'start:0',
      'end:0',
      'start:1',
      'end:1',
    ]);
    expect(events.every((e) => e.type !== 'stage' || e.phase === 'start' || (e.elapsedMs ?? -1) >= 0)).toBe(true);
  });

  it('passes fan-out stages through and reports errors before rethrowing them', async () => {
    const { events, sink } = recorder();
    const fanOut = await firstValueFrom(of(3).pipe(instrument('fan', mergeMap((n: number) => from([n, n + 1])), sink), toArray()));
    expect(fanOut).toEqual([3, 4]);

    const failing = of(1).pipe(instrument('boom', mergeMap(() => throwError(() => new Error('no memory'))), sink));
    await expect(firstValueFrom(failing)).rejects.toThrow('no memory');
    expect(events.at(-1)).toMatchObject({ type: 'stage', stage: 'boom', phase: 'error', message: 'no memory' });
  });
});
