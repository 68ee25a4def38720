/**
 * vega-lite spec -> SVG text, in Node: compile to vega, run the dataflow headless (renderer 'none') and
 * serialise the scenegraph as SVG. No canvas, no browser, no network; text widths are estimated by vega.
 * vega and vega-lite are imported on first use, so commands that draw nothing do not pay for loading them; the
 * compiled build imports them from its vendor/ bundles (bin/build.js), the same code in two files instead of ~280.
 */
import type { TopLevelSpec } from 'vega-lite';

type VegaModules = { vega: typeof import('vega'); vl: typeof import('vega-lite') };
let modules: Promise<VegaModules> | undefined;

function load(): Promise<VegaModules> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => ({ vega, vl }));
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
