import { html, type Html } from '../../../platform/http/index.js';
import type { View } from '../../../platform/web/index.js';
import { aqiCategory, hex, wqiCategory, type Category } from '../indices/categories.js';

/** Dark text on the light bands (yellow, green, orange), white on the dark ones. */
const inkOn = (rgb: readonly [number, number, number]) => (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 150 ? '#1a1a1a' : '#ffffff');

/** An AQI value on its band's colour, with the band's name. */
export function aqiBadge(v: View, aqi: number | null, empty: string): Html {
  if (aqi === null) return html`<span class="aqi-badge aqi-none">${empty}</span>`;
  return badge(v, aqi, aqiCategory(aqi), 'AQI');
}

/** A VN_WQI value on its band's colour, with the band's name. */
export function wqiBadge(v: View, wqi: number | null, empty = ''): Html {
  if (wqi === null) return html`<span class="aqi-badge aqi-none">${empty}</span>`;
  return badge(v, wqi, wqiCategory(wqi), 'WQI');
}

function badge(v: View, value: number, c: Category, index: string): Html {
  return html`<span class="aqi-badge" data-index="${index}" style="background:${hex(c)};color:${inkOn(c.rgb)}"
    ><strong>${String(value)}</strong> ${v.msg(c.name)}</span
  >`;
}
