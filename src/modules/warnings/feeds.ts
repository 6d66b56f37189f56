import { Feed } from 'feed';
import { ANONYMOUS } from '../../platform/auth/index.js';
import type { Db } from '../../platform/db/index.js';
import { listAlerts } from './alerts.js';

/** The public warnings as Atom 1.0 or RSS 2.0 (the feed package writes and escapes both); each entry encloses its CAP 1.2 message. */
export async function warningsFeed(db: Db, baseUrl: string, format: 'atom' | 'rss'): Promise<string> {
  const base = baseUrl.replace(/\/$/, '');
  const alerts = await listAlerts(db, ANONYMOUS, { limit: 50 });
  const feed = new Feed({
    title: 'Tỉnh Số — Cảnh báo môi trường',
    description: 'Cảnh báo ô nhiễm không khí và sự cố trạm quan trắc của tỉnh / Air pollution and monitoring warnings of the province',
    id: `${base}/warnings`,
    link: `${base}/warnings`,
    language: 'vi',
    copyright: 'Tỉnh Số',
    updated: alerts[0] ? (alerts[0].resolved_at ?? alerts[0].opened_at) : new Date(0),
    feedLinks: { atom: `${base}/warnings/feed.atom`, rss: `${base}/warnings/feed.rss` },
  });
  for (const a of alerts)
    feed.addItem({
      title: `${a.state === 'resolved' ? 'Hết cảnh báo: ' : ''}${a.rule_name}`,
      id: `${base}/warnings/${a.id}${a.state === 'resolved' ? '#all-clear' : ''}`,
      link: `${base}/warnings/${a.id}`,
      description: `${a.detail} / ${a.detail_en}`,
      date: a.resolved_at ?? a.opened_at,
      category: [{ name: a.severity }, { name: a.kind }],
      enclosure: { url: `${base}/warnings/${a.id}/cap.xml`, type: 'application/cap+xml' },
    });
  return format === 'atom' ? feed.atom1() : feed.rss2();
}
