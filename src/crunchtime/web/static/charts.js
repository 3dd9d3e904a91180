/* crunchtime arcade: small hand-written SVG charts (no library, no network). Every text goes in as
   textContent, so user text is never parsed as markup. */
"use strict";
const Charts = (() => {
  const NS = "http://www.w3.org/2000/svg";

  function el(tag, attrs, parent, text) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  function svgIn(container, width, height) {
    container.replaceChildren();
    return el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" }, container);
  }

  const pct = (p, digits = 1) => (100 * p).toFixed(digits) + "%";
  const pts = (d) => { const r = Math.round(1000 * d) / 10; return (r >= 0 ? "+" : "−") + Math.abs(r).toFixed(1); };

  function niceMax(x) {
    if (!(x > 0)) return 1;
    const e = Math.pow(10, Math.floor(Math.log10(x)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * e >= x) return m * e;
    return 10 * e;
  }

  /* tick values 0..max at a round step (1, 2, 2.5 or 5 times a power of ten) */
  function ticks(max, count = 4) {
    const raw = max / count, e = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map(m => m * e).find(s => s >= raw * 0.999);
    const out = [];
    for (let v = 0; v <= max * 1.0001; v += step) out.push(v);
    return { values: out, step };
  }
  const pctTick = (v, step) => (100 * v).toFixed(step * 100 < 1 ? 2 : step * 100 < 10 && step * 100 % 1 ? 1 : 0) + "%";

  function legend(container, items) {
    const box = document.createElement("div");
    box.className = "legend";
    for (const [label, color, dashed] of items) {
      const item = document.createElement("span");
      const sw = document.createElement("span");
      sw.className = "sw";
      sw.style.background = dashed ? "transparent" : color;
      if (dashed) sw.style.borderTop = `2px dashed ${color}`;
      item.append(sw, document.createTextNode(label));
      box.appendChild(item);
    }
    container.appendChild(box);
  }

  /* outcome bars: rows = outcomes, one bar per plan, whiskers = 95% interval */
  function outcomes(container, data) {
    const { rows, plans, colors, n } = data;  // rows: [{label, color, values: [{p, se}] per plan}]
    const W = 760, left = data.left || 190, right = 150, rowH = 16 * plans.length + 14, top = 8;
    const H = top + rows.length * rowH + 26;
    const svg = svgIn(container, W, H);
    // probabilities: the axis never runs past 100% (a 100% bar would otherwise round the axis up to 200%)
    const hi = Math.min(1, niceMax(Math.max(...rows.flatMap(r => r.values.map(v => Math.min(1, v.p + 1.96 * v.se)))) * 1.05));
    const x = (p) => left + (W - left - right) * Math.min(p, hi) / hi;
    const tk = ticks(hi);
    for (const v of tk.values) {
      const X = x(v);
      el("line", { x1: X, x2: X, y1: top, y2: H - 20, class: "grid" }, svg);
      el("text", { x: X, y: H - 6, "text-anchor": "middle", class: "tick" }, svg, pctTick(v, tk.step));
    }
    rows.forEach((r, i) => {
      const y0 = top + i * rowH;
      el("text", { x: left - 10, y: y0 + rowH / 2, "text-anchor": "end", "dominant-baseline": "middle", class: "title", fill: r.color }, svg, r.label);
      r.values.forEach((v, j) => {
        const y = y0 + 6 + j * 16;
        el("rect", { x: left, y, width: Math.max(1, x(v.p) - left), height: 12, fill: colors[j], rx: 2 }, svg);
        // the 95% interval the server computed (crunchtime.results.interval), as the CLI and the report print it
        const lo = v.low ?? Math.max(0, v.p - 1.96 * v.se), up = v.high ?? Math.min(1, v.p + 1.96 * v.se);
        el("line", { x1: x(lo), x2: x(up), y1: y + 6, y2: y + 6, stroke: "#17202a", "stroke-width": 1.3 }, svg);
        for (const e of [lo, up]) el("line", { x1: x(e), x2: x(e), y1: y + 2, y2: y + 10, stroke: "#17202a", "stroke-width": 1.3 }, svg);
        const text = v.count === 0 ? `<${pct(3 / n)} (0 of ${n})` : `${pct(v.p)} [${(100 * lo).toFixed(1)}, ${(100 * up).toFixed(1)}]`;
        el("text", { x: W - right + 8, y: y + 10, class: "num", fill: colors[j] }, svg, text);
      });
    });
    legend(container, plans.map((p, j) => [p, colors[j]]));
  }

  /* paired differences: dot and 95% interval around zero, in percentage points */
  function differences(container, rows) {  // rows: [{label, color, diff, lo, hi}]
    const W = 760, left = 190, right = 190, rowH = 24, top = 6, H = top + rows.length * rowH + 26;
    const svg = svgIn(container, W, H);
    const m = niceMax(Math.max(0.01, ...rows.flatMap(r => [Math.abs(r.lo), Math.abs(r.hi)])) * 1.05);
    const x = (d) => left + (W - left - right) * (d + m) / (2 * m);
    for (let t = -2; t <= 2; t++) {
      const v = m * t / 2, X = x(v);
      el("line", { x1: X, x2: X, y1: top, y2: H - 20, class: t === 0 ? "axis" : "grid" }, svg);
      el("text", { x: X, y: H - 6, "text-anchor": "middle", class: "tick" }, svg, pts(v) + " pts");
    }
    rows.forEach((r, i) => {
      const y = top + i * rowH + rowH / 2;
      el("text", { x: left - 10, y, "text-anchor": "end", "dominant-baseline": "middle", class: "title", fill: r.color }, svg, r.label);
      el("line", { x1: x(r.lo), x2: x(r.hi), y1: y, y2: y, stroke: r.color, "stroke-width": 3, "stroke-linecap": "round" }, svg);
      el("circle", { cx: x(r.diff), cy: y, r: 5, fill: r.color }, svg);
      const sure = r.lo > 0 || r.hi < 0;
      el("text", { x: W - right + 10, y: y + 4, class: "num", "font-weight": sure ? 700 : 400 }, svg,
        `${pts(r.diff)} pts [${pts(r.lo)}, ${pts(r.hi)}]`);
    });
  }

  const YEAR_LABEL_PX = 38;  // narrowest spacing between year labels
  function yearAxis(svg, x, months, startYear, startMonth, yTop, yBottom) {
    const perYear = Math.abs(x(12) - x(0)), stride = Math.max(1, Math.ceil(YEAR_LABEL_PX / perYear));
    let k = 0;
    for (let m = (12 - (startMonth - 1)) % 12; m <= months; m += 12, k++) {
      const X = x(m);
      el("line", { x1: X, x2: X, y1: yTop, y2: yBottom, class: "grid" }, svg);
      if (k % stride === 0) el("text", { x: X, y: yBottom + 14, "text-anchor": "middle", class: "tick" }, svg, String(startYear + Math.round((startMonth - 1 + m) / 12)));
    }
  }

  /* Figure 2: milestones as p10-p90 bands with a median dot, one band per plan */
  function timeline(container, data) {  // {rows: [{label, perPlan: [{months: [p10,p50,p90], reached}]}], plans, colors, months, startYear, startMonth}
    const { rows, plans, colors, months } = data;
    const W = 760, left = 190, right = 110, band = 13, rowH = band * plans.length + 12, top = 6;
    const H = top + rows.length * rowH + 24;
    const svg = svgIn(container, W, H);
    const x = (m) => left + (W - left - right) * m / months;
    yearAxis(svg, x, months, data.startYear, data.startMonth, top, H - 20);
    rows.forEach((r, i) => {
      const y0 = top + i * rowH;
      el("text", { x: left - 10, y: y0 + rowH / 2, "text-anchor": "end", "dominant-baseline": "middle", class: "title" }, svg, r.label);
      r.perPlan.forEach((s, j) => {
        const y = y0 + 5 + j * band;
        if (s.months[1] !== null) {
          el("line", { x1: x(s.months[0]), x2: x(s.months[2]), y1: y + 3, y2: y + 3, stroke: colors[j], "stroke-width": 5, "stroke-linecap": "round", opacity: 0.55 }, svg);
          el("circle", { cx: x(s.months[1]), cy: y + 3, r: 4, fill: colors[j], stroke: "#fff", "stroke-width": 1 }, svg);
        }
        el("text", { x: W - right + 8, y: y + 7, class: "num", fill: colors[j] }, svg, `reached ${pct(s.reached, 0)}`);
      });
    });
    legend(container, plans.map((p, j) => [p, colors[j]]));
  }

  /* risk by source: cumulative stacked areas, one panel per plan, shared scale */
  function risk(container, data) {  // {panels: [{plan, color, stacks: {source: [cum]}}], sources, labels, colors, months, ...}
    const { panels, sources, months } = data;
    const W = 760, gap = 30, top = 22, h = 170, left = 46, H = top + h + 26;
    const pw = (W - left - gap * (panels.length - 1) - 10) / panels.length;
    const svg = svgIn(container, W, H);
    const totals = panels.map(p => p.stacks[sources[0]].map((_, t) => sources.reduce((a, s) => a + p.stacks[s][t], 0)));
    const ymax = niceMax(Math.max(1e-4, ...totals.flat()) * 1.05);
    panels.forEach((p, k) => {
      const x0 = left + k * (pw + gap);
      const x = (m) => x0 + pw * m / (months - 1), y = (v) => top + h - h * v / ymax;
      const tk = ticks(ymax);
      for (const v of tk.values) {
        el("line", { x1: x0, x2: x0 + pw, y1: y(v), y2: y(v), class: "grid" }, svg);
        if (k === 0) el("text", { x: x0 - 6, y: y(v) + 4, "text-anchor": "end", class: "tick" }, svg, pctTick(v, tk.step));
      }
      yearAxis(svg, x, months - 1, data.startYear, data.startMonth, top, top + h);
      let below = new Array(months).fill(0);
      for (const s of sources) {
        const above = below.map((b, t) => b + p.stacks[s][t]);
        const path = above.map((v, t) => `${t ? "L" : "M"}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join("") +
          below.map((v, t) => t).reverse().map(t => `L${x(t).toFixed(1)},${y(below[t]).toFixed(1)}`).join("") + "Z";
        el("path", { d: path, fill: data.colors[s], opacity: 0.9 }, svg);
        below = above;
      }
      el("text", { x: x0, y: 14, class: "title", fill: p.color }, svg, `${p.plan}: ${pct(below[months - 1])} by ${data.endLabel}`);
    });
    legend(container, sources.map(s => [data.labels[s], data.colors[s]]));
  }

  function powersOfTen(lo, hi) {
    const step = Math.max(1, Math.ceil((hi - lo) / 4)), out = [];
    for (let e = Math.ceil(lo); e <= hi; e += step) out.push(e);
    return out;
  }
  const logLabel = (e) => (e < 4 ? String(Math.pow(10, e)) : `1e${e}`) + "x";

  /* one world: small panels of series up to the current month; solid = plan, dashed = baseline */
  function world(container, data) {  // {panels: [{title, log, unit, lines: [{label, color, dashed, values}]}], months, upto, marks}
    const W = 760, cols = data.panels.length, gap = 40, left = 44, top = 22, h = 150, H = top + h + 28;
    const pw = (W - left - gap * (cols - 1) - 8) / cols;
    const svg = svgIn(container, W, H);
    data.panels.forEach((panel, k) => {
      const x0 = left + k * (pw + gap);
      const vals = panel.lines.flatMap(l => l.values.filter(v => v !== null && isFinite(v)));
      let lo = panel.min !== undefined ? panel.min : Math.min(...vals), hi = panel.max !== undefined ? panel.max : Math.max(...vals);
      if (panel.log) { lo = Math.log10(Math.max(1, lo)); hi = Math.log10(Math.max(10, hi)); }
      if (!(hi > lo)) hi = lo + 1;
      const tx = (v) => panel.log ? Math.log10(Math.max(1, v)) : v;
      const x = (m) => x0 + pw * m / (data.months - 1), y = (v) => top + h - h * (tx(v) - lo) / (hi - lo);
      el("text", { x: x0, y: 14, class: "title" }, svg, panel.title);
      const marks = panel.log ? powersOfTen(lo, hi) : [lo, (lo + hi) / 2, hi];
      for (const raw of marks) {
        const Y = top + h - h * (raw - lo) / (hi - lo);
        el("line", { x1: x0, x2: x0 + pw, y1: Y, y2: Y, class: "grid" }, svg);
        el("text", { x: x0 - 4, y: Y + 4, "text-anchor": "end", class: "tick" }, svg, panel.log ? logLabel(raw) : (Math.abs(raw) < 10 ? raw.toFixed(1) : Math.round(raw)));
      }
      yearAxis(svg, x, data.months - 1, data.startYear, data.startMonth, top, top + h);
      for (const line of panel.lines) {
        const pts = [];
        for (let t = 0; t <= data.upto && t < line.values.length; t++) if (line.values[t] !== null) pts.push(`${pts.length ? "L" : "M"}${x(t).toFixed(1)},${y(line.values[t]).toFixed(1)}`);
        if (pts.length) el("path", { d: pts.join(""), fill: "none", stroke: line.color, "stroke-width": 1.8, "stroke-dasharray": line.dashed ? "5 3" : null }, svg);
      }
      const cx = x(data.upto);
      el("line", { x1: cx, x2: cx, y1: top, y2: top + h, stroke: "#7f8c8d", "stroke-width": 1, "stroke-dasharray": "2 2" }, svg);
    });
    legend(container, data.legend);
  }

  return { outcomes, differences, timeline, risk, world, pct, pts };
})();
