import { formatSample } from '@esmon/schema/testing';
import { describe, expect, it } from 'vitest';
import { ACTIVE_STATE_CODES, parseShow, unitSamples } from './parse.ts';

describe('parseShow', () => {
  it('splits blocks on blank lines and keys on the first =', () => {
    const blocks = parseShow('A=1\nB=x=y\r\n\n\nC=\n\n');
    expect(blocks.map((b) => Object.fromEntries(b))).toEqual([{ A: '1', B: 'x=y' }, { C: '' }]);
  });
  it('finds no block in empty output', () => {
    expect(parseShow('')).toEqual([]);
  });
});

describe('unitSamples', () => {
  const at = (props: Record<string, string>, monotonicNowUs = 100_000_000) =>
    unitSamples({ unit: 'x.service', props: new Map(Object.entries(props)), ts: 1, monotonicNowUs }).map(formatSample);

  it.each(Object.entries(ACTIVE_STATE_CODES))('codes %s as %d', (state, code) => {
    expect(at({ ActiveState: state, SubState: 's' })).toContain(`systemd.unit.state{sub_state="s",unit="x.service"} ${code}`);
  });

  it.each<[string, number]>([
    ['active', 1],
    ['reloading', 1],
    ['refreshing', 1],
    ['activating', 0],
    ['deactivating', 0],
    ['inactive', 0],
    ['failed', 0],
  ])('counts %s as active = %d, as systemctl is-active does', (state, active) => {
    expect(at({ ActiveState: state, SubState: 's' })[0]).toBe(`systemd.unit.active{sub_state="s",unit="x.service"} ${active}`);
  });

  it('codes a state it does not know as 0', () => {
    expect(at({ ActiveState: 'hibernating', SubState: 's' })[1]).toBe('systemd.unit.state{sub_state="s",unit="x.service"} 0');
  });

  it('skips values systemd does not set', () => {
    expect(at({ MemoryCurrent: '[not set]', NRestarts: '', MainPID: '[n/a]' })).toEqual([]);
  });

  it('measures active time on the monotonic clock, only while active and only when it is in the past', () => {
    expect(at({ ActiveState: 'active', ActiveEnterTimestampMonotonic: '40000000' })).toContain('systemd.unit.active_seconds{unit="x.service"} 60');
    expect(at({ ActiveState: 'failed', ActiveEnterTimestampMonotonic: '40000000' }).join()).not.toContain('active_seconds');
    expect(at({ ActiveState: 'active', ActiveEnterTimestampMonotonic: '0' }).join()).not.toContain('active_seconds');
    expect(at({ ActiveState: 'active', ActiveEnterTimestampMonotonic: '200000000' }).join()).not.toContain('active_seconds');
  });
});
