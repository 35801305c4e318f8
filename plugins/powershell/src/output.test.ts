import { formatSample } from '@esmon/schema/testing';
import { describe, expect, it } from 'vitest';
import { parseScriptOutput } from './output.ts';

const read = (stdout: string) => {
  const r = parseScriptOutput(stdout, 'ps', 1000);
  return 'error' in r ? r : { samples: r.samples.map(formatSample), rows: r.rows };
};

describe('parseScriptOutput', () => {
  it.each<[string, object]>([
    ['42\r\n', { samples: ['ps 42'], rows: undefined }],
    ['\uFEFF-1.5', { samples: ['ps -1.5'], rows: undefined }],
    ['{"Queue":12,"Name":"orders","CPU(s)":3.5,"up":true}', { samples: ['ps.queue 12', 'ps.up 1'], rows: [{ Queue: 12, Name: 'orders', 'CPU(s)': 3.5, up: true }] }],
    ['[{"Name":"a"},{"Name":"b"}]', { samples: [], rows: [{ Name: 'a' }, { Name: 'b' }] }],
    ['[]', { samples: [], rows: [] }],
    ['[1, 2]', { error: 'JSON rows must be objects; item 0 is not (… | Select-Object A, B | ConvertTo-Json makes rows)' }],
    ['[INFO] all good', { samples: [], rows: undefined }],
    ['{ not json', { samples: [], rows: undefined }],
    ['Running', { samples: [], rows: undefined }],
  ])('%j', (stdout, expected) => {
    expect(read(stdout)).toEqual(expected);
  });
});
