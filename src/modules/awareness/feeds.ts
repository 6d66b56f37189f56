import { Feed } from 'feed';
import type { Db } from '../../platform/db/index.js';
import { listPosts } from './posts.js';

/** The published posts as Atom 1.0 or RSS 2.0 (the feed package writes and escapes both). */
export async function feedOf(db: Db, baseUrl: string, format: 'atom' | 'rss'): Promise<string> {
  const base = baseUrl.replace(/\/$/, '');
  const posts = await listPosts(db, undefined, 50);
  const feed = new Feed({
    title: 'Tỉnh Số — Tin tức và sự kiện về trí tuệ nhân tạo',
    description: 'Tin tức, hội thảo, khóa tập huấn và cuộc thi về trí tuệ nhân tạo của tỉnh Ninh Thuận',
    id: `${base}/awareness`,
    link: `${base}/awareness`,
    language: 'vi',
    copyright: 'Tỉnh Số',
    updated: posts[0]?.published_at ?? new Date(0),
    feedLinks: { atom: `${base}/awareness/feed.atom`, rss: `${base}/awareness/feed.rss` },
  });
  for (const p of posts)
    feed.addItem({
      title: p.title,
      id: `${base}/awareness/${p.slug}`,
      link: `${base}/awareness/${p.slug}`,
      description: p.summary,
      content: p.body,
      date: p.published_at!,
      category: [{ name: p.kind }],
    });
  return format === 'atom' ? feed.atom1() : feed.rss2();
}
