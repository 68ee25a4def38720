/**
 * vega-lite spec -> SVG text, in Node: compile to vega, run the dataflow headless (renderer 'none') and
 * serialise the scenegraph as SVG. No canvas, no browser, no network; text widths are estimated by vega.
 * vega and vega-lite are imported on first use, so commands that draw nothing do not pay for loading them.
 */
import { existsSync } from 'node:fs';
import type { TopLevelSpec } from 'vega-lite';

type VegaModules = { vega: typeof import('vega'); vl: typeof import('vega-lite') };
let modules: Promise<VegaModules> | undefined;

/**
 * The compiled build's vega and vega-lite, bundled by bin/build.js into one module next to this one: Node loads
 * vega's own ~280 ES modules (d3 and its parts) one by one in ~200 ms, the one file in ~60 ms. Same code, so
 * the same SVG. From the sources (tsx) there is no bundle and the packages are imported as they are.
 */
export const VEGA_BUNDLE = 'vega-bundle.js';

function load(): Promise<VegaModules> {
  modules ??= (async () => {
    const bundle = new URL(VEGA_BUNDLE, import.meta.url);
    if (bundle.protocol === 'file:' && existsSync(bundle)) return (await import(bundle.href)) as VegaModules;
    const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
    return { vega, vl };
  })();
  return modules;
}

/**
 * Vega numbers clip paths and gradients from a counter that restarts per render, so two inlined charts can
 * both define `clip1`; an HTML page resolves `url(#clip1)` to the first one. Each chart's ids get a prefix.
 */
export function prefixSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${prefix}-${id}"`);
}

/** Renders one chart; `idPrefix` makes its internal ids unique in a page holding several charts. */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const { vega, vl } = await load();
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    return prefixSvgIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}
