import { describe, expect, it } from 'vitest';
import { requestKey } from './ingest.js';

const update = (subject: string, stamp = '2026/11/14 09:30:00', extra: Record<string, unknown> = {}) => ({
  kind: 'document',
  DocumentId: '000.00.15.H58,2026/11/14,215/STNMT-MT',
  Subject: subject,
  TraceHeaderList: { TraceHeader: [{ OrganId: '000.00.15.H58', Timestamp: stamp }], Bussiness: { BussinessDocType: '2' } },
  Signature: { present: true },
  ...extra,
});

describe('requestKey', () => {
  it('tells apart two different updates sent within one second', () => {
    expect(requestKey(update('Kế hoạch quan trắc 2027'))).not.toBe(requestKey(update('Kế hoạch quan trắc năm 2027')));
  });

  it('keeps one request one, re-signed or with a hop’s trace added', () => {
    const a = update('Kế hoạch quan trắc 2027');
    const b = {
      ...update('Kế hoạch quan trắc 2027'),
      Signature: { present: true, X509SubjectName: 'CN=khác' },
      TraceHeaderList: {
        TraceHeader: [
          { OrganId: '000.00.15.H58', Timestamp: '2026/11/14 09:30:00' },
          { OrganId: '000.00.00.H58', Timestamp: '2026/11/14 09:30:02' },
        ],
      },
    };
    expect(requestKey(b)).toBe(requestKey(a));
  });

  it('tells apart the same header sent again at another time (a second request)', () => {
    expect(requestKey(update('Kế hoạch', '2026/11/14 09:30:00'))).not.toBe(requestKey(update('Kế hoạch', '2026/11/14 09:31:00')));
  });
});
