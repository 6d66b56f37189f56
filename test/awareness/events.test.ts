import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { startSmtp } from '../helpers/smtp.js';
import { memberOf } from '../planning/helpers.js';

/**
 * An event from publication to attendance through the API: a workshop with two places fills, the
 * third person goes on the waiting list, each hears by mail (a real SMTP server); a cancellation
 * moves the first waiting up, who is told; the organizers mark attendance; bad input changes
 * nothing; the feeds and the schema.org markup carry the event.
 */
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let editor: { auth: Record<string, string> };
let outsider: { auth: Record<string, string> };
const url = '/api/v1/awareness/posts';

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestApp({ smtpUrl: smtp.url, work: true, baseUrl: 'https://tinhso.example.vn' });
  editor = await memberOf(t, 'truyenthong@sokhcn.example.vn', 'so-khcn', 'editor');
  outsider = await memberOf(t, 'canbo@sotnmt.example.vn', 'so-tnmt', 'editor');
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const WORKSHOP = {
  kind: 'event',
  org: 'so-khcn',
  title: 'Hội thảo ứng dụng trí tuệ nhân tạo trong nông nghiệp Ninh Thuận',
  titleEn: 'Workshop on AI in Ninh Thuận agriculture',
  summary: 'Giới thiệu các mô hình dự báo năng suất nho và táo.',
  body: 'Hội thảo do Sở Khoa học và Công nghệ tổ chức.\n\nĐại biểu đăng ký trước.',
  startsAt: '20/01/2027 08:00',
  endsAt: '20/01/2027 11:30',
  place: 'Hội trường Sở Khoa học và Công nghệ, Phan Rang – Tháp Chàm',
  capacity: 2,
  registrationOpen: true,
  published: true,
};

describe('an event with registration', () => {
  let slug: string;
  it('refuses bad input naming each field, changing nothing', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url,
      headers: editor.auth,
      payload: { ...WORKSHOP, startsAt: '31/02/2027 08:00', capacity: 0, kind: 'party' },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json<{ errors: { field: string }[] }>()
        .errors.map((e) => e.field)
        .sort(),
    ).toEqual(['capacity', 'kind', 'startsAt']);
    const foreign = await t.app.inject({ method: 'POST', url, headers: outsider.auth, payload: WORKSHOP });
    expect(foreign.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url })).json<{ posts: unknown[] }>().posts).toHaveLength(0);
  });

  it('is published by the Department’s editor, with Vietnam times', async () => {
    const r = await t.app.inject({ method: 'POST', url, headers: editor.auth, payload: WORKSHOP });
    expect(r.statusCode, r.body).toBe(201);
    const post = r.json<{ slug: string; startsAt: string; org: { slug: string } }>();
    slug = post.slug;
    expect(slug).toBe('hoi-thao-ung-dung-tri-tue-nhan-tao-trong-nong-nghiep-ninh-thuan');
    expect(post.startsAt).toBe('2027-01-20T01:00:00.000Z');
    expect(post.org.slug).toBe('so-khcn');
  });

  it('fills to capacity, then puts the next person on the waiting list; each hears by mail', async () => {
    const reg = (name: string, email: string) => t.app.inject({ method: 'POST', url: `${url}/${slug}/registrations`, payload: { name, email } });
    const people = [
      ['Nguyễn Thị Lan', 'lan@example.vn'],
      ['Trần Văn Hải', 'hai@example.vn'],
      ['Lê Minh Đức', 'duc@example.vn'],
      ['Phạm Thu Hà', 'ha@example.vn'],
    ] as const;
    // All at once: the post's lock keeps the count right.
    const res = await Promise.all(people.map(([n, e]) => reg(n, e)));
    for (const r of res) expect(r.statusCode, r.body).toBe(201);
    const statuses = res.map((r) => r.json<{ status: string }>().status);
    expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(2);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(2);
    const dup = await reg('Nguyễn Thị Lan', 'LAN@example.vn');
    expect(dup.statusCode).toBe(409);
    expect(dup.json<{ field: string }>().field).toBe('email');
    const list = (await t.app.inject({ method: 'GET', url: `${url}/${slug}/registrations`, headers: editor.auth })).json<{
      registrations: { email: string; status: string }[];
    }>().registrations;
    expect(list.map((r) => r.status)).toEqual(['confirmed', 'confirmed', 'waitlisted', 'waitlisted']);
    expect((await t.app.inject({ method: 'GET', url: `${url}/${slug}/registrations`, headers: outsider.auth })).statusCode).toBe(403);
    const first = list[0]!.email;
    const waiting = list[2]!.email;
    const [confirmedMail] = await smtp.mailsTo(first, 1);
    expect(confirmedMail!.subject).toContain('Xác nhận đăng ký');
    expect(confirmedMail!.text).toContain('20/01/2027 08:00');
    expect(confirmedMail!.text).toMatch(/https:\/\/tinhso\.example\.vn\/awareness\/[a-z-]+\/registrations\/[0-9a-f-]{36}\/cancel\?token=/);
    const [waitMail] = await smtp.mailsTo(waiting, 1);
    expect(waitMail!.subject).toContain('Danh sách chờ');
  });

  it('moves the first waiting person up when a confirmed one cancels with the mailed link', async () => {
    const list = (await t.app.inject({ method: 'GET', url: `${url}/${slug}/registrations`, headers: editor.auth })).json<{
      registrations: { id: string; email: string; status: string }[];
    }>().registrations;
    const leaving = list[0]!;
    const next = list[2]!;
    const [mail] = await smtp.mailsTo(leaving.email, 1);
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mail!.text!)![1]!);
    const wrong = await t.app.inject({ method: 'POST', url: `/api/v1/awareness/registrations/${leaving.id}/cancel`, payload: { token: 'x' + token } });
    expect(wrong.statusCode).toBe(404);
    const ok = await t.app.inject({ method: 'POST', url: `/api/v1/awareness/registrations/${leaving.id}/cancel`, payload: { token } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ status: string }>().status).toBe('cancelled');
    const after = (await t.app.inject({ method: 'GET', url: `${url}/${slug}/registrations`, headers: editor.auth })).json<{
      registrations: { id: string; status: string }[];
    }>().registrations;
    expect(after.find((r) => r.id === next.id)!.status).toBe('confirmed');
    expect(after.filter((r) => r.status === 'confirmed')).toHaveLength(2);
    const mails = await smtp.mailsTo(next.email, 2);
    expect(mails.map((m) => m.subject)).toEqual(expect.arrayContaining([expect.stringContaining('Đã có chỗ')]));
  });

  it('records attendance for confirmed people only', async () => {
    const list = (await t.app.inject({ method: 'GET', url: `${url}/${slug}/registrations`, headers: editor.auth })).json<{
      registrations: { id: string; status: string }[];
    }>().registrations;
    const came = list.find((r) => r.status === 'confirmed')!;
    const r = await t.app.inject({ method: 'PATCH', url: `${url}/${slug}/registrations/${came.id}`, headers: editor.auth, payload: { attended: true } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json<{ attended: boolean }>().attended).toBe(true);
    const waiting = list.find((x) => x.status === 'waitlisted')!;
    expect(
      (await t.app.inject({ method: 'PATCH', url: `${url}/${slug}/registrations/${waiting.id}`, headers: editor.auth, payload: { attended: true } }))
        .statusCode,
    ).toBe(409);
  });

  it('is in the RSS and Atom feeds and carries schema.org Event markup', async () => {
    const parse = (s: string) => new DOMParser().parseFromString(s, 'text/xml');
    const rss = await t.app.inject({ method: 'GET', url: '/awareness/feed.rss' });
    expect(rss.headers['content-type']).toContain('application/rss+xml');
    const item = parse(rss.body).getElementsByTagName('item')[0]!;
    expect(item.getElementsByTagName('title')[0]!.textContent).toContain('Hội thảo ứng dụng trí tuệ nhân tạo');
    expect(item.getElementsByTagName('link')[0]!.textContent).toBe(`https://tinhso.example.vn/awareness/${slug}`);
    const atom = await t.app.inject({ method: 'GET', url: '/awareness/feed.atom' });
    expect(atom.headers['content-type']).toContain('application/atom+xml');
    const entry = parse(atom.body).getElementsByTagName('entry')[0]!;
    expect(entry.getElementsByTagName('id')[0]!.textContent).toBe(`https://tinhso.example.vn/awareness/${slug}`);
    const page = await t.app.inject({ method: 'GET', url: `/awareness/${slug}` });
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page.body)![1]!);
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Event',
      name: WORKSHOP.title,
      startDate: '2027-01-20T01:00:00.000Z',
      maximumAttendeeCapacity: 2,
      remainingAttendeeCapacity: 0,
      location: { '@type': 'Place', name: WORKSHOP.place },
    });
  });

  it('keeps drafts to their unit’s editors', async () => {
    const r = await t.app.inject({ method: 'POST', url, headers: editor.auth, payload: { kind: 'news', org: 'so-khcn', title: 'Bản tin nháp về AI' } });
    expect(r.statusCode, r.body).toBe(201);
    const s = r.json<{ slug: string }>().slug;
    expect((await t.app.inject({ method: 'GET', url: `${url}/${s}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `${url}/${s}`, headers: editor.auth })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `${url}/${s}/registrations`, payload: { name: 'A', email: 'a@example.vn' } })).statusCode).toBe(404);
  });
});
