/** The kinds of flag a series' points can carry. */
export const ANOMALY_KINDS = ['spike', 'stuck', 'drift', 'gap', 'range'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** A flagged point: when, what kind, and how sure (0–1). */
export interface Flag {
  at: number;
  kind: AnomalyKind;
  score: number;
}

/** Bilingual names of the kinds, for pages and exports. */
export const KIND_LABELS: Record<AnomalyKind, { vi: string; en: string }> = {
  spike: { vi: 'Đột biến', en: 'Spike' },
  stuck: { vi: 'Giá trị đứng yên', en: 'Stuck value' },
  drift: { vi: 'Trôi', en: 'Drift' },
  gap: { vi: 'Mất dữ liệu', en: 'Gap' },
  range: { vi: 'Ngoài ngưỡng vật lý', en: 'Out of physical range' },
};
