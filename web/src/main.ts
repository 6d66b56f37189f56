// Progressive enhancement only: every page works without this script.
/// <reference types="vite/client" />
import type { CircleMarker } from 'leaflet';
import './styles.css';

/** Copy buttons: `data-copy` names the input whose value is copied. */
function enhanceCopyButtons(): void {
  document.querySelectorAll<HTMLButtonElement>('button[data-copy]').forEach((button) => {
    const target = document.querySelector<HTMLInputElement>(button.dataset.copy ?? '');
    if (!target || !navigator.clipboard) return;
    const label = button.textContent ?? '';
    button.hidden = false;
    button.addEventListener('click', () => {
      target.select();
      navigator.clipboard.writeText(target.value).then(
        () => {
          button.textContent = button.dataset.copiedLabel ?? label;
          window.setTimeout(() => (button.textContent = label), 2000);
        },
        () => target.select(),
      );
    });
  });
}

/** Forms with `data-confirm` ask before submitting (e.g. revoking a token). */
function enhanceConfirmations(): void {
  document.querySelectorAll<HTMLFormElement>('form[data-confirm]').forEach((form) => {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.dataset.confirm ?? '')) event.preventDefault();
    });
  });
}

/** Brings a freshly created token into view and focus so it is announced. */
function focusNewToken(): void {
  document.getElementById('new-token')?.focus();
}

/** "Sở Tài nguyên và Môi trường" → "so-tai-nguyen-va-moi-truong" (mirrors the server's slugify). */
function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 90)
    .replace(/-+$/g, '');
}

/** URL-name inputs with `data-slug-from` follow the title until the editor types a name of their own. */
function enhanceSlugInputs(): void {
  document.querySelectorAll<HTMLInputElement>('input[data-slug-from]').forEach((name) => {
    const title = document.getElementById(name.dataset.slugFrom ?? '') as HTMLInputElement | null;
    if (!title) return;
    let auto = name.value === '' || name.value === slugify(title.value);
    name.addEventListener('input', () => (auto = name.value === ''));
    title.addEventListener('input', () => {
      if (auto) name.value = slugify(title.value);
    });
  });
}

const FACET_FOCUS = 'tinhso:facet-focus';

/** Facet checkboxes apply at once; focus comes back to the same checkbox after the reload. */
function enhanceFacets(): void {
  const form = document.querySelector<HTMLFormElement>('form#dataset-search');
  if (!form) return;
  const back = sessionStorage.getItem(FACET_FOCUS);
  if (back) {
    sessionStorage.removeItem(FACET_FOCUS);
    document.getElementById(back)?.focus();
  }
  form.querySelectorAll<HTMLInputElement>('.facet input[type=checkbox]').forEach((box) => {
    box.addEventListener('change', () => {
      sessionStorage.setItem(FACET_FOCUS, box.id);
      form.requestSubmit();
    });
  });
}

/**
 * Upload forms with `data-upload-progress` send through XMLHttpRequest to show progress; the server
 * answers as for a plain POST (a redirect, or the form again with errors), which is then shown.
 */
function enhanceUploads(): void {
  document.querySelectorAll<HTMLFormElement>('form[data-upload-progress]').forEach((form) => {
    const box = form.querySelector<HTMLElement>('.upload-progress');
    const bar = form.querySelector<HTMLProgressElement>('progress');
    const text = form.querySelector<HTMLElement>('.upload-percent');
    if (!box || !bar || !text || typeof FormData === 'undefined') return;
    form.addEventListener('submit', (event) => {
      const file = form.querySelector<HTMLInputElement>('input[type=file]');
      if (!file?.files?.length) return; // links only: a plain POST is quick
      event.preventDefault();
      const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
      if (button) button.disabled = true;
      box.hidden = false;
      const xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.upload.onprogress = (e) => {
        if (!e.lengthComputable) return;
        const pct = Math.round((e.loaded / e.total) * 100);
        bar.value = pct;
        bar.textContent = `${pct}%`;
        text.textContent = `${text.dataset.uploadingLabel ?? ''} ${pct}%`;
      };
      xhr.onload = () => {
        const json = (xhr.getResponseHeader('content-type') ?? '').includes('application/json');
        if (xhr.status < 400 && json) {
          bar.value = 100;
          text.textContent = '100%';
          window.location.assign((JSON.parse(xhr.responseText) as { location: string }).location);
          return;
        }
        // The form again, with its errors: shown as the plain POST would show it.
        document.open();
        document.write(xhr.responseText);
        document.close();
      };
      xhr.onerror = () => {
        // Network trouble: nothing was saved; the editor can try again (or without script, a plain POST).
        box.hidden = true;
        if (button) button.disabled = false;
        text.textContent = '';
      };
      xhr.setRequestHeader('X-Upload-Progress', '1');
      xhr.send(new FormData(form));
    });
  });
}

interface JobDto {
  state: string;
  progress: { done: number; total: number | null; message: string | null };
}

/**
 * A running load (`data-job`): polls the job API each second and shows rows, % and ETA; the page
 * reloads when the job ends to show the report (`data-reload-when-done`; elsewhere the bar fills
 * and the box's reload link stays). When the API refuses (a load someone else started), the
 * wizard reloads every 3 s instead; other pages keep what they showed.
 */
function enhanceJobProgress(): void {
  const box = document.querySelector<HTMLElement>('[data-job]');
  if (!box) return;
  const id = box.dataset.job;
  const bar = box.querySelector('progress');
  const text = box.querySelector<HTMLElement>('.wz-progress-text');
  const started = Date.now();
  const tick = async (): Promise<void> => {
    if (!id) return window.location.reload();
    const res = await fetch(`/api/v1/jobs/${id}`, { headers: { accept: 'application/json' } }).catch(() => null);
    if (!res || !res.ok) {
      if (box.dataset.reloadWhenDone) window.setTimeout(() => window.location.reload(), 3000);
      return;
    }
    const job = (await res.json()) as JobDto;
    if (job.state === 'completed' || job.state === 'failed' || job.state === 'cancelled') {
      // The wizard shows the outcome at once; other pages say it is done and leave the reload to the reader.
      if (box.dataset.reloadWhenDone) return window.location.reload();
      if (bar) bar.value = 100;
      if (text) text.textContent = '100%';
      return;
    }
    const { done, total, message } = job.progress;
    if (total && bar) {
      const pct = Math.min(100, Math.round((done / total) * 100));
      bar.value = pct;
      const secs = done > 0 ? Math.round(((Date.now() - started) / 1000) * ((total - done) / done)) : null;
      if (text) text.textContent = `${pct}% · ${message ?? ''}${secs !== null && done < total ? ` · ETA ${secs} s` : ''}`;
    }
    window.setTimeout(() => void tick(), 1000);
  };
  window.setTimeout(() => void tick(), 500);
}

/** Maps (`data-map`: a GeoJSON URL): Leaflet, loaded only on pages that have one, draws the features on a blank background (no online tiles). */
async function enhanceMaps(): Promise<void> {
  const el = document.querySelector<HTMLElement>('[data-map]');
  if (!el?.dataset.map) return;
  const [{ default: L }] = await Promise.all([import('leaflet'), import('leaflet/dist/leaflet.css')]);
  const res = await fetch(el.dataset.map, { headers: { accept: 'application/geo+json' } });
  if (!res.ok) return;
  const data = (await res.json()) as GeoJSON.FeatureCollection;
  const map = L.map(el, { attributionControl: false, preferCanvas: true });
  L.control.scale({ imperial: false }).addTo(map);
  const layer = L.geoJSON(data, {
    pointToLayer: (_f, at) => L.circleMarker(at, { radius: 5, weight: 1, color: '#0b5394', fillOpacity: 0.7 }),
    onEachFeature: (f, l) => {
      const props = Object.entries((f.properties ?? {}) as Record<string, unknown>).slice(0, 8);
      const div = document.createElement('div');
      for (const [k, v] of props) {
        const line = document.createElement('div');
        line.textContent = `${k}: ${v === null || v === undefined ? '' : String(v)}`;
        div.append(line);
      }
      l.bindPopup(div);
    },
  }).addTo(map);
  const bounds = layer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds.pad(0.1), { maxZoom: 13 });
  else map.setView([11.6, 108.9], 9);
  el.dataset.ready = String(data.features.length);
}

interface StationProps {
  id: number;
  name: string;
  url: string;
  kind: 'air' | 'water';
  aqi: number | null;
  wqi: number | null;
  color: string | null;
  categoryName: { vi: string; en: string } | null;
  at: string | null;
}

/**
 * The air quality map (`data-air-map`: the stations' GeoJSON): the province's boundaries served by
 * us (no online tiles), each station a circle in its AQI band's colour, recoloured — with the
 * stations table — as `data-live` (Server-Sent Events) announces new values.
 */
async function enhanceAirMap(): Promise<void> {
  const el = document.querySelector<HTMLElement>('[data-air-map]');
  if (!el?.dataset.airMap) return;
  const [{ default: L }] = await Promise.all([import('leaflet'), import('leaflet/dist/leaflet.css')]);
  const lang = document.documentElement.lang === 'en' ? 'en' : 'vi';
  const map = L.map(el, { attributionControl: false, preferCanvas: true });
  L.control.scale({ imperial: false }).addTo(map);
  let fitted = false;
  if (el.dataset.boundaries) {
    const res = await fetch(el.dataset.boundaries);
    if (res.ok) {
      const layer = L.geoJSON((await res.json()) as GeoJSON.FeatureCollection, {
        style: (f) => ({
          color: '#5f6b7a',
          weight: f?.properties?.level === 1 ? 2 : 1,
          fillColor: '#eef2f6',
          fillOpacity: f?.properties?.level === 1 ? 0.6 : 0,
          dashArray: f?.properties?.level === 1 ? undefined : '4 3',
        }),
        onEachFeature: (f, l) => l.bindTooltip(String((f.properties as { name?: string }).name ?? ''), { sticky: true }),
      }).addTo(map);
      map.fitBounds(layer.getBounds().pad(0.05));
      fitted = true;
    }
  }
  const markers = new Map<number, CircleMarker>();
  const popup = (p: StationProps) => {
    const div = document.createElement('div');
    const a = document.createElement('a');
    a.href = p.url;
    a.textContent = p.name;
    const line = document.createElement('div');
    const value = p.kind === 'water' ? p.wqi : p.aqi;
    line.textContent = value === null ? '—' : `${p.kind === 'water' ? 'WQI' : 'AQI'} ${value} · ${p.categoryName?.[lang] ?? ''}`;
    div.append(a, line);
    return div;
  };
  const show = (f: GeoJSON.Feature<GeoJSON.Point, StationProps>) => {
    const p = f.properties;
    const [lon, lat] = f.geometry.coordinates as [number, number];
    // Water stations: a blue ring, so the two indices are not read as one.
    const value = p.kind === 'water' ? p.wqi : p.aqi;
    const style = {
      radius: 9,
      weight: p.kind === 'water' ? 3 : 2,
      color: p.kind === 'water' ? '#0b57d0' : '#1a1a1a',
      fillColor: p.color ?? '#9aa5b1',
      fillOpacity: 0.95,
    };
    let m = markers.get(p.id);
    if (!m) {
      m = L.circleMarker([lat, lon], style).addTo(map);
      markers.set(p.id, m);
    } else m.setStyle(style).setLatLng([lat, lon]);
    m.bindPopup(popup(p));
    m.bindTooltip(value === null ? p.name : `${p.name}: ${p.kind === 'water' ? 'WQI' : 'AQI'} ${value}`);
    el.dataset[`aqi${p.id}`] = value === null ? '' : String(value);
    const row = document.querySelector<HTMLElement>(`[data-station="${p.id}"] .aqi-cell`);
    if (row && value !== null && p.color) {
      const badge = document.createElement('span');
      badge.className = 'aqi-badge';
      badge.dataset.index = p.kind === 'water' ? 'WQI' : 'AQI';
      badge.style.background = p.color;
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(p.color!.slice(i, i + 2), 16)) as [number, number, number];
      badge.style.color = 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#1a1a1a' : '#ffffff';
      const strong = document.createElement('strong');
      strong.textContent = String(value);
      badge.append(strong, ` ${p.categoryName?.[lang] ?? ''}`);
      row.replaceChildren(badge);
    }
  };
  const res = await fetch(el.dataset.airMap, { headers: { accept: 'application/geo+json' } });
  if (!res.ok) return;
  const data = (await res.json()) as GeoJSON.FeatureCollection<GeoJSON.Point, StationProps>;
  for (const f of data.features) show(f);
  if (!fitted) map.setView([11.6, 108.9], 9);
  el.dataset.ready = String(data.features.length);
  if (el.dataset.live && 'EventSource' in window) {
    const status = document.querySelector<HTMLElement>('[data-live-status]');
    const source = new EventSource(el.dataset.live);
    source.addEventListener('open', () => status?.classList.add('on'));
    source.addEventListener('error', () => status?.classList.remove('on'));
    source.addEventListener('station', (e) => show(JSON.parse((e as MessageEvent<string>).data) as GeoJSON.Feature<GeoJSON.Point, StationProps>));
  }
}

interface LiveAlert {
  id: string;
  ruleName?: string;
  severity?: string;
  stationName?: string;
  station: number;
  openedAt: string;
  detail: { vi: string; en: string };
}

/**
 * The warnings in force (`data-warnings-live`: the API that lists them) are asked for again every
 * 15 seconds (`data-interval`), and when the tab comes back into view: warnings that open appear,
 * those that end go, without a reload. Polling works the same behind any number of instances.
 */
function enhanceWarnings(): void {
  document.querySelectorAll<HTMLElement>('[data-warnings-live]').forEach((box) => {
    const url = box.dataset.warningsLive!;
    const list = box.querySelector('ul');
    if (!list) return;
    const labels = JSON.parse(box.dataset.severityLabels ?? '{}') as Record<string, string>;
    const en = document.documentElement.lang === 'en';
    const render = (alerts: LiveAlert[]) => {
      list.replaceChildren(
        ...alerts.map((a) => {
          const li = document.createElement('li');
          li.dataset.alert = a.id;
          const badge = document.createElement('span');
          badge.className = `badge severity-${a.severity ?? ''}`;
          badge.textContent = labels[a.severity ?? ''] ?? a.severity ?? '';
          const link = document.createElement('a');
          link.href = `/warnings/${a.id}`;
          link.textContent = a.ruleName ?? '';
          li.append(badge, ' ', link, ` — ${a.stationName ?? `#${a.station}`}: ${en ? a.detail.en : a.detail.vi}`);
          return li;
        }),
      );
      box.hidden = alerts.length === 0;
    };
    const refresh = async () => {
      try {
        const res = await fetch(url, { headers: { accept: 'application/json' } });
        if (res.ok) render(((await res.json()) as { alerts: LiveAlert[] }).alerts);
      } catch {
        /* offline: the list stays as it was */
      }
    };
    window.setInterval(() => void refresh(), Number(box.dataset.interval ?? 15_000));
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void refresh();
    });
  });
}

enhanceCopyButtons();
enhanceConfirmations();
focusNewToken();
enhanceSlugInputs();
enhanceFacets();
enhanceUploads();
enhanceJobProgress();
void enhanceMaps();
void enhanceAirMap();
enhanceWarnings();
