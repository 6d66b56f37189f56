import type { PostRow, RegistrationRow } from './tables.js';

export const presentPost = (p: PostRow, org?: { slug: string; name: string }) => ({
  slug: p.slug,
  kind: p.kind,
  org: org ?? null,
  title: p.title,
  titleEn: p.title_en,
  summary: p.summary,
  summaryEn: p.summary_en,
  body: p.body,
  bodyEn: p.body_en,
  startsAt: p.starts_at?.toISOString() ?? null,
  endsAt: p.ends_at?.toISOString() ?? null,
  place: p.place,
  capacity: p.capacity,
  registrationOpen: p.registration_open,
  publishedAt: p.published_at?.toISOString() ?? null,
  updatedAt: p.updated_at.toISOString(),
});

export const presentRegistration = (r: RegistrationRow) => ({
  id: r.id,
  name: r.name,
  email: r.email,
  affiliation: r.affiliation,
  status: r.status,
  attended: r.attended,
  createdAt: r.created_at.toISOString(),
});

/** schema.org markup of an event, course or contest (Event; a course as EducationEvent). */
export function schemaOrgEvent(p: PostRow, url: string, org: { name: string } | undefined, left: number | null): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': p.kind === 'course' ? 'EducationEvent' : 'Event',
    name: p.title,
    ...(p.title_en ? { alternateName: p.title_en } : {}),
    description: p.summary || undefined,
    url,
    inLanguage: 'vi',
    startDate: p.starts_at?.toISOString(),
    ...(p.ends_at ? { endDate: p.ends_at.toISOString() } : {}),
    eventStatus: 'https://schema.org/EventScheduled',
    eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
    ...(p.place
      ? { location: { '@type': 'Place', name: p.place, address: { '@type': 'PostalAddress', addressRegion: 'Ninh Thuận', addressCountry: 'VN' } } }
      : {}),
    ...(org ? { organizer: { '@type': 'GovernmentOrganization', name: org.name } } : {}),
    ...(p.capacity ? { maximumAttendeeCapacity: p.capacity, remainingAttendeeCapacity: Math.max(0, left ?? 0) } : {}),
    ...(p.registration_open
      ? {
          offers: {
            '@type': 'Offer',
            price: 0,
            priceCurrency: 'VND',
            url,
            availability: left === 0 ? 'https://schema.org/SoldOut' : 'https://schema.org/InStock',
          },
        }
      : {}),
  };
}
