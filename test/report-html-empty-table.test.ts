// report.html of a run with no calls (serve-mcp stopped before any call, say): a table without rows says it is
// empty instead of drawing a bare header row, and a table with rows is drawn as before.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderHtmlPage } from '../harness/report/html/page.js';
import { tableBlock, type ReportDoc } from '../harness/report/model.js';

test('an empty table reads as "nothing to show", a full one as a table', () => {
  const empty = { id: 'latency', title: 'Latency of one call per target (ms)', columns: ['target', 'p50'], rows: [] };
  const full = { id: 'targets', title: 'Targets', columns: ['target', 'calls'], rows: [['real', 3]] };
  const doc = { title: 't', lead: [], sections: [{ id: 's', title: 'S', intro: 'i', blocks: [tableBlock(empty), tableBlock(full)] }] } as unknown as ReportDoc;
  const html = renderHtmlPage(doc, new Map(), 'f');
  assert.not.match(html, /id="table-latency"/);
  assert.match(html, /<p class="absent">Latency of one call per target \(ms\): nothing to show in this run\.<\/p>/);
  assert.match(html, /id="table-targets"/);
  assert.match(html, /<td>real<\/td><td class="num">3<\/td>/);
});

test.run();
