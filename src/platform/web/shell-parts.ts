import type { FastifyRequest } from 'fastify';
import type { PrincipalUser } from '../auth/index.js';
import type { Html } from '../http/index.js';
import type { Catalog, Msg } from '../i18n/index.js';
import type { Assets } from './assets.js';
import type { View } from './view.js';

/** An entry of the main navigation (with a card on the home page when it has a summary) or of the admin bar. */
export interface NavEntry {
  path: string;
  title: Msg;
  /** Smaller first; the shell's own Home is 0. */
  order: number;
  place: 'main' | 'admin';
  /** Shown on the home page's card for the area. */
  summary?: Msg;
  /** An area announced but not built yet (its card says so). */
  comingSoon?: boolean;
  /** Who sees the entry (admin entries: signed-in users by default). */
  visible?: (user: PrincipalUser | null) => boolean;
}

/** One figure of the home page's "what is here" list; null when unknown. */
export interface Stat {
  id: string;
  value: number | null;
  label: Msg;
  href?: string;
  /** A footnote shown under the list (e.g. which date the figure refers to). */
  note?: Msg;
}

/** What a module shows on the home page: a block in the hero, figures, or a section. */
export type HomeWidget =
  | { kind: 'hero'; order: number; render(v: View, req: FastifyRequest): Promise<Html> }
  | { kind: 'stats'; order: number; stats(v: View, req: FastifyRequest): Promise<Stat[]> }
  | { kind: 'section'; order: number; render(v: View, req: FastifyRequest): Promise<Html> };

/**
 * A place on one module's page that other modules fill (e.g. an organization's page lists its
 * datasets from the catalog), so the owner of the page need not import the modules that extend it.
 */
export interface Slot<In, Out = Html> {
  readonly id: string;
  /** Type carriers only. */
  readonly _in?: In;
  readonly _out?: Out;
}

export interface SlotFill {
  slot: string;
  order: number;
  render(v: View, req: FastifyRequest, input: unknown): Promise<unknown>;
}

export const defineSlot = <In, Out = Html>(id: string): Slot<In, Out> => ({ id });

/** A typed contribution to a slot. */
export const fill = <In, Out>(slot: Slot<In, Out>, order: number, render: (v: View, req: FastifyRequest, input: In) => Promise<Out>): SlotFill => ({
  slot: slot.id,
  order,
  render: (v, req, input) => render(v, req, input as In),
});

/** The contributions to a slot, rendered in order. */
export async function renderSlot<In, Out>(slot: Slot<In, Out>, v: View, req: FastifyRequest, input: In): Promise<Out[]> {
  const fills = v.shell.fills.filter((f) => f.slot === slot.id).sort((a, b) => a.order - b.order);
  return (await Promise.all(fills.map((f) => f.render(v, req, input)))) as Out[];
}

/** What one module (or a platform area such as auth) contributes to the web shell. */
export interface WebPart {
  name: string;
  messages?: Catalog;
  nav?: NavEntry[];
  homeWidgets?: HomeWidget[];
  fills?: SlotFill[];
}

/** The composed shell every page renders in: built once per app from the web parts. */
export interface Shell {
  assets: Assets;
  nav: NavEntry[];
  homeWidgets: HomeWidget[];
  fills: SlotFill[];
}
