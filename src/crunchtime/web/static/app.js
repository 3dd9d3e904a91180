/* crunchtime arcade: the page's logic. State lives in the URL hash, every change asks /api/compare for
   both plans on the same worlds; a newer request aborts the older one (AbortController) and the server
   drops superseded ones (X-Client / X-Generation). */
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const PLAN_COLOR = "#1f3b73", BASE_COLOR = "#17a2b8";
  const CLIENT = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2)).replace(/[^A-Za-z0-9_-]/g, "");
  const DEBOUNCE_MS = 40, PLAY_MS = 120;
  let meta = null, scenarioInfo = null, planInfo = null, last = null;
  let generation = 0, inflight = null, timer = null, playTimer = null;
  const state = { scenario: "default", plan: "clymer", baseline: "stop-now", samples: 1024, seed: 0, world: 0,
                  month: null, beliefs: {}, params: {}, planText: null };

  /* ---------------------------------------------------------------- helpers */
  function showError(msg) {
    const box = $("error");
    if (msg) { box.textContent = msg; box.hidden = false; } else { box.textContent = ""; box.hidden = true; }
  }
  async function getJSON(url, opts) {
    const r = await fetch(url, opts);
    let body = null;
    try { body = await r.json(); } catch (e) { body = { error: `${r.status} ${r.statusText}` }; }
    if (!r.ok) { const err = new Error(body && body.error ? body.error : `HTTP ${r.status}`); err.status = r.status; err.body = body; throw err; }
    return body;
  }
  const postJSON = (url, data, extra) => getJSON(url, Object.assign({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data) }, extra || {}));
  function fmt(v) {
    if (v === null || v === undefined || !isFinite(v)) return "–";
    const a = Math.abs(v);
    if (a >= 1000) return Math.round(v).toLocaleString("en");
    if (a >= 100) return v.toFixed(0);
    if (a >= 10) return v.toFixed(1);
    if (a >= 1) return v.toFixed(2);
    return v.toFixed(3);
  }
  function option(select, value, text) { const o = document.createElement("option"); o.value = value; o.textContent = text; select.appendChild(o); return o; }
  function monthLabel(m) {
    const [y, mo] = scenarioInfo.start.split("-").map(Number);
    const total = y * 12 + mo - 1 + Math.floor(m);
    return `${Math.floor(total / 12)}-${String(total % 12 + 1).padStart(2, "0")}`;
  }

  /* ---------------------------------------------------------------- URL state */
  function toHash() {
    const q = new URLSearchParams();
    q.set("s", state.scenario); q.set("b", state.baseline); q.set("n", state.samples); q.set("seed", state.seed); q.set("w", state.world);
    if (state.planText) q.set("pt", state.planText); else q.set("p", state.plan);
    for (const [k, v] of Object.entries(state.beliefs)) q.set("x." + k, v);
    for (const [k, v] of Object.entries(state.params)) q.set("k." + k, v);
    return q.toString();
  }
  function fromHash(hash) {
    const q = new URLSearchParams(hash.replace(/^#/, ""));
    if (!q.toString()) return;
    const num = (v, d) => (v !== null && v !== "" && isFinite(Number(v)) ? Number(v) : d);
    state.scenario = q.get("s") || state.scenario; state.baseline = q.get("b") || state.baseline;
    state.samples = num(q.get("n"), state.samples); state.seed = num(q.get("seed"), state.seed); state.world = num(q.get("w"), 0);
    state.planText = q.get("pt"); state.plan = q.get("p") || state.plan;
    state.beliefs = {}; state.params = {};
    for (const [k, v] of q.entries()) {
      if (k.startsWith("x.")) state.beliefs[k.slice(2)] = num(v, null);
      if (k.startsWith("k.")) state.params[k.slice(2)] = num(v, null);
    }
  }
  function writeHash() { history.replaceState(null, "", "#" + toHash()); }

  /* ---------------------------------------------------------------- sliders */
  function sliderScale(s) {
    const N = 1000;
    if (s.log) {
      const a = Math.log(s.min), b = Math.log(s.max);
      return { N, toPos: v => Math.round(N * (Math.log(v) - a) / (b - a)), toVal: p => Math.exp(a + (b - a) * p / N) };
    }
    return { N, toPos: v => Math.round(N * (v - s.min) / (s.max - s.min)), toVal: p => s.min + (s.max - s.min) * p / N };
  }
  function roundNice(v) { const a = Math.abs(v); if (a === 0) return 0; const d = Math.pow(10, Math.floor(Math.log10(a)) - 2); return Math.round(v / d) * d; }

  function makeSlider(parent, s, store, onChange) {
    const box = document.createElement("div"); box.className = "slider"; box.dataset.name = s.name;
    const top = document.createElement("div"); top.className = "top";
    const name = document.createElement("span"); name.className = "name"; name.textContent = s.label; name.title = s.doc || "";
    const value = document.createElement("span"); value.className = "value";
    const reset = document.createElement("button"); reset.type = "button"; reset.className = "reset"; reset.textContent = "×"; reset.title = "back to the belief";
    top.append(name, value, reset);
    const input = document.createElement("input"); input.type = "range";
    const sc = sliderScale(s); input.min = 0; input.max = sc.N; input.step = 1;
    input.setAttribute("aria-label", s.name);
    const belief = document.createElement("div"); belief.className = "belief";
    const b1 = document.createElement("span"); b1.textContent = s.belief !== undefined ? `belief ${s.belief}` : `plan's value ${fmt(s.value)}`;
    const b2 = document.createElement("span"); b2.textContent = `${fmt(s.min)} … ${fmt(s.max)}${s.unit && s.unit !== "-" ? " " + s.unit : ""}`;
    belief.append(b1, b2);
    box.append(top, input, belief); parent.appendChild(box);
    const home = s.median !== undefined ? s.median : s.value;
    function render() {
      const pinned = store[s.name] !== undefined && store[s.name] !== null;
      const v = pinned ? store[s.name] : home;
      input.value = sc.toPos(Math.min(Math.max(v, s.min), s.max));
      box.classList.toggle("pinned", pinned);
      reset.hidden = !pinned;
      value.textContent = pinned ? `${fmt(v)}${s.unit && s.unit !== "-" ? " " + s.unit : ""}` : (s.median !== undefined ? "uncertain" : fmt(v));
    }
    input.addEventListener("input", () => { store[s.name] = roundNice(sc.toVal(Number(input.value))); render(); onChange(); });
    reset.addEventListener("click", () => { delete store[s.name]; render(); onChange(); });
    render();
    return render;
  }

  function buildBeliefSliders() {
    const root = $("belief-sliders"); root.replaceChildren();
    let group = null;
    const known = new Set(scenarioInfo.sliders.map(s => s.name));
    for (const k of Object.keys(state.beliefs)) if (!known.has(k) || state.beliefs[k] === null) delete state.beliefs[k];
    for (const s of scenarioInfo.sliders) {
      if (s.group !== group) { group = s.group; const g = document.createElement("div"); g.className = "group"; g.textContent = group; root.appendChild(g); }
      makeSlider(root, s, state.beliefs, changed);
    }
  }
  function buildPlanSliders() {
    const root = $("plan-sliders"); root.replaceChildren();
    $("plan-name").textContent = planInfo.name;  // tuned params show as pinned sliders below
    $("plan-description").textContent = planInfo.description || "";
    const known = new Set(planInfo.params.map(p => p.name));
    for (const k of Object.keys(state.params)) if (!known.has(k) || state.params[k] === null) delete state.params[k];
    for (const p of planInfo.params) makeSlider(root, { ...p, label: p.name.replace(/_/g, " "), unit: "" }, state.params, changed);
    if (!planInfo.params.length) { const h = document.createElement("p"); h.className = "hint"; h.textContent = "This plan has no params."; root.appendChild(h); }
    $("plan-text").value = state.planText || planInfo.yaml;
  }

  /* ---------------------------------------------------------------- the plan as sent and saved */
  const tunedName = () => `${planInfo.name}-tuned`;
  async function planText() {
    const overrides = Object.keys(state.params).length > 0;
    if (!overrides) return state.planText || state.plan;
    const params = Object.entries(state.params).map(([k, v]) => `${k}: ${v}`).join(", ");
    if (!state.planText) return `name: ${tunedName()}\nextends: ${state.plan}\nparams: {${params}}\n`;
    const r = await postJSON("/api/plan", { yaml: state.planText, params: state.params, name: tunedName() });
    return r.yaml;
  }

  /* ---------------------------------------------------------------- compute */
  function changed() { writeHash(); clearTimeout(timer); timer = setTimeout(compute, DEBOUNCE_MS); }

  /* Progressive answers (docs/web.md): each move first asks for FIRST_SAMPLES paired worlds, shows them
     ("256 worlds, refining…"), then asks for the chosen count under the same generation. The refined
     answer's first 256 worlds are the first answer's (one random block; the engine is chunk-invariant),
     so the numbers settle and the intervals narrow. A newer move aborts both and the server drops the
     older generation's queued work. */
  const FIRST_SAMPLES = 256;
  async function ask(body, gen, signal) {
    return getJSON("/api/compare", { method: "POST", signal,
      headers: { "Content-Type": "application/json", "X-Client": CLIENT, "X-Generation": String(gen) }, body: JSON.stringify(body) });
  }
  async function compileNotice(body, gen, signal) {
    if (!meta || meta.engine !== "jit") return;
    const r = await postJSON("/api/compiled", body, { signal });
    if (!r.compiled && gen === generation) {
      $("status").textContent = "compiling the model (once)…"; $("status").dataset.stage = "compiling";
    }
  }
  function shown(res, gen, t0, refining) {
    if (gen !== generation) return false;
    last = res; showError(null);
    const ms = Math.round(performance.now() - t0), n = res.samples.toLocaleString("en");
    $("status").textContent = refining
      ? `${n} worlds, refining to ${state.samples.toLocaleString("en")}… · first answer in ${ms} ms`
      : `${n} paired worlds per plan, seed ${res.seed}, common random numbers · answered in ${ms} ms`;
    $("status").dataset.stage = refining ? "refining" : "answered";
    $("status").dataset.samples = String(res.samples);
    $("status").dataset.catastrophe = String(res.plans[res.page.plans[1]].outcomes.catastrophe.p);
    render();
    return true;
  }
  async function compute() {
    if (inflight) inflight.abort();
    const ctrl = new AbortController(); inflight = ctrl;
    const gen = ++generation;
    const progressive = state.samples > FIRST_SAMPLES;
    const first = progressive ? FIRST_SAMPLES : state.samples;
    $("status").textContent = `simulating ${first.toLocaleString("en")} paired worlds…`; $("status").classList.add("busy");
    $("status").dataset.stage = "simulating";
    const t0 = performance.now();
    try {
      const plan = await planText();
      const body = (n) => ({ scenario: state.scenario, plans: [state.baseline, plan], samples: n, seed: state.seed,
                             parameters: state.beliefs, world: Math.min(state.world, n - 1) });
      await compileNotice(body(first), gen, ctrl.signal);
      if (!shown(await ask(body(first), gen, ctrl.signal), gen, t0, progressive) || !progressive) return;
      await compileNotice(body(state.samples), gen, ctrl.signal);
      shown(await ask(body(state.samples), gen, ctrl.signal), gen, t0, false);
    } catch (e) {
      if (e.name === "AbortError" || (e.body && e.body.superseded)) return;
      if (gen === generation) { showError(e.message); $("status").textContent = "not updated: see the error above"; $("status").dataset.stage = "error"; }
    } finally {
      if (gen === generation) { $("status").classList.remove("busy"); inflight = null; }
    }
  }

  /* ---------------------------------------------------------------- drawing */
  function render() {
    if (!last) return;
    const L = meta.labels, [base, plan] = last.page.plans;
    const names = [plan, base], colors = [PLAN_COLOR, BASE_COLOR], n = last.samples;
    $("samples-label").textContent = n.toLocaleString("en");
    Charts.outcomes($("outcomes-chart"), { plans: names, colors, n, rows: meta.outcomes.map(o => ({
      label: L.outcomes[o], color: meta.colors.outcomes[o],
      values: names.map(p => ({ ...last.plans[p].outcomes[o], count: Math.round(last.plans[p].outcomes[o].p * n) })) })) });
    for (const [key, id] of [["world_outcomes", "world-outcomes-chart"], ["magma_paths", "magma-paths-chart"]]) {
      Charts.outcomes($(id), { plans: names, colors, n, left: 230, rows: meta[key].map(o => ({
        label: L[key][o], color: meta.colors[key][o],
        values: names.map(p => ({ ...last.plans[p][key][o], count: Math.round(last.plans[p][key][o].p * n) })) })) });
    }
    const hm = meta.horizon_risk_months, H = p => last.plans[p].horizon_risk;
    $("horizon-title").textContent = `P(catastrophe) by the horizon, and with the chance that worlds still unresolved there end in catastrophe within ${hm} months after it at their last month's hazard`;
    Charts.outcomes($("horizon-chart"), { plans: names, colors, n, left: 290, rows: [
      ["catastrophe_by_horizon", "Catastrophe by the horizon"], ["unresolved", "Unresolved at the horizon"],
      ["catastrophe_after_horizon", `Catastrophe in the ${hm} months after`],
      ["catastrophe_with_horizon_risk", `Catastrophe, ${hm} months after included`]].map(([k, label]) => ({
        label, color: k === "unresolved" ? meta.colors.outcomes.unresolved : meta.colors.outcomes.catastrophe,
        values: names.map(p => ({ ...H(p)[k], count: H(p)[k].p === 0 ? 0 : null })) })) });
    $("diff-title").textContent = `${plan} − ${base}, same worlds, 95% interval (bold: the interval excludes zero)`;
    const diffs = last.differences.filter(d => d.a === base && d.b === plan);
    Charts.differences($("diff-chart"), meta.outcomes.map(o => {
      const d = diffs.find(x => x.metric === o);
      return { label: L.outcomes[o], color: meta.colors.outcomes[o], diff: -d.diff, lo: -d.ci95[1], hi: -d.ci95[0] };
    }).concat((last.world_differences || []).filter(d => d.a === base && d.b === plan && d.metric === "catastrophe_with_horizon_risk")
      .map(d => ({ label: `Catastrophe + ${meta.horizon_risk_months} months after`, color: meta.colors.outcomes.catastrophe,
                   diff: -d.diff, lo: -d.ci95[1], hi: -d.ci95[0] }))));
    const [sy, sm] = scenarioInfo.start.split("-").map(Number), months = last.page.months;
    Charts.timeline($("timeline-chart"), { plans: names, colors, months, startYear: sy, startMonth: sm,
      rows: meta.milestones.map(m => ({ label: L.milestones[m] || m, perPlan: names.map(p => ({ months: last.page.milestones[p][m].months, reached: last.page.milestones[p][m].p_reached })) })) });
    Charts.risk($("risk-chart"), { months, startYear: sy, startMonth: sm, sources: meta.sources, labels: L.sources, colors: meta.colors.sources,
      endLabel: monthLabel(months - 1), panels: names.map((p, j) => ({ plan: p, color: colors[j], stacks: last.page.cumulative_risk[p] })) });
    $("world").max = last.page.worlds - 1; $("month").max = months - 1;
    if (state.month === null || state.month > months - 1) state.month = months - 1;
    $("month").value = state.month;
    renderWorld();
  }

  function renderWorld() {
    if (!last) return;
    const [base, plan] = last.page.plans, W = last.page.world, t = state.month, months = last.page.months;
    const [sy, sm] = scenarioInfo.start.split("-").map(Number);
    const lines = (key, color, label) => [{ label: `${label} (${plan})`, color, values: W[plan].series[key] }, { label: `${label} (${base})`, color, dashed: true, values: W[base].series[key] }];
    Charts.world($("world-chart"), { months, upto: t, startYear: sy, startMonth: sm, panels: [
      { title: "The race: AI R&D speed-up", log: true, lines: [...lines("ai_rd_speedup", "#1f3b73", "Magma"), ...lines("frontier_ai_rd_speedup", "#c0392b", "frontier")] },
      { title: "Magma's knobs", min: 0, max: 1, lines: [...lines("knob:velocity", "#1f3b73", "velocity"), ...lines("knob:safety_share", "#229954", "safety share"), ...lines("knob:prep_share", "#ca6f1e", "preparation share")] },
      { title: "Safety and political will", min: 0, max: 1, lines: [...lines("alignment", "#7e57c2", "alignment"), ...lines("control", "#17a2b8", "control"), ...lines("political_will", "#9e9d24", "political will")] },
    ], legend: [["Magma's speed-up", "#1f3b73"], ["frontier's speed-up", "#c0392b"], ["velocity", "#1f3b73"], ["safety share", "#229954"], ["preparation share", "#ca6f1e"], ["alignment", "#7e57c2"], ["control", "#17a2b8"], ["political will", "#9e9d24"], ["baseline (dashed)", "#555", true]] });
    $("month-label").textContent = `${monthLabel(t)} (month ${t})`;
    const story = $("world-story"); story.replaceChildren();
    for (const p of [plan, base]) {
      const w = W[p], s = w.series, line = document.createElement("div");
      const b = document.createElement("b"); b.textContent = p + ": ";
      let text = `Magma at ${fmt(s.ai_rd_speedup[t])}x AI R&D (frontier ${fmt(s.frontier_ai_rd_speedup[t])}x), ` +
        `${s.lead_months[t] >= 0 ? "leads by" : "trails by"} ${fmt(Math.abs(s.lead_months[t]))} months; velocity ${fmt(s["knob:velocity"][t])}, safety share ${fmt(s["knob:safety_share"][t])}` +
        `${s.pause_active[t] > 0.5 ? "; a coordinated pause is in force" : ""}.`;
      const crossed = Object.entries(w.milestones).filter(([, m]) => m !== null && m <= t).map(([k]) => meta.labels.milestones[k] || k);
      if (crossed.length) text += ` Crossed: ${crossed.join(", ")}.`;
      if (w.outcome_month !== null && w.outcome_month <= t && w.outcome !== "unresolved")
        text += ` Outcome: ${meta.labels.outcomes[w.outcome]}${w.catastrophe_source ? " (" + meta.labels.sources[w.catastrophe_source] + ")" : ""} in ${monthLabel(w.outcome_month)}.`;
      if (w.world_outcome_month !== null && w.world_outcome_month <= t && w.world_outcome !== "unresolved")
        text += ` The world: ${meta.labels.world_outcomes[w.world_outcome]} in ${monthLabel(w.world_outcome_month)}.`;
      if (w.magma_path_month !== null && w.magma_path_month <= t && w.magma_path !== "still_racing")
        text += ` Magma: ${meta.labels.magma_paths[w.magma_path]} in ${monthLabel(w.magma_path_month)}.`;
      line.append(b, document.createTextNode(text)); story.appendChild(line);
    }
  }

  function play() {
    if (playTimer) { clearInterval(playTimer); playTimer = null; $("play").textContent = "Play"; return; }
    if (!last) return;
    if (state.month >= last.page.months - 1) state.month = 0;
    $("play").textContent = "Pause";
    playTimer = setInterval(() => {
      if (state.month >= last.page.months - 1) { play(); return; }
      state.month += 1; $("month").value = state.month; renderWorld();
    }, PLAY_MS);
  }

  /* ---------------------------------------------------------------- loading choices */
  async function loadScenario() {
    scenarioInfo = await getJSON(`/api/scenario/${encodeURIComponent(state.scenario)}`);
    buildBeliefSliders();
  }
  async function loadPlan() {
    if (state.planText) {
      try { planInfo = await postJSON("/api/plan", { yaml: state.planText }); }
      catch (e) { showError(e.message); state.planText = null; planInfo = await getJSON(`/api/plan/${encodeURIComponent(state.plan)}`); }
    } else planInfo = await getJSON(`/api/plan/${encodeURIComponent(state.plan)}`);
    const sel = $("plan"); const old = sel.querySelector("option[data-custom]"); if (old) old.remove();
    if (state.planText) { const o = option(sel, "__custom__", `${planInfo.name} (loaded)`); o.dataset.custom = "1"; sel.value = "__custom__"; }
    else sel.value = state.plan;
    buildPlanSliders();
  }
  async function useCustomPlan(text) {
    try {
      const info = await postJSON("/api/plan", { yaml: text });
      state.planText = text; state.params = {}; planInfo = info; showError(null);
      await loadPlan(); changed();
    } catch (e) { showError(e.message); }
  }

  function syncControls() {
    $("scenario").value = state.scenario; $("baseline").value = state.baseline; $("seed").value = state.seed; $("world").value = state.world;
    const s = $("samples"); if (![...s.options].some(o => Number(o.value) === state.samples)) option(s, state.samples, state.samples.toLocaleString("en"));
    s.value = String(state.samples);
  }

  async function init() {
    meta = await getJSON("/api/meta");
    $("version").textContent = meta.version; $("beliefs-note").textContent = meta.beliefs_note;
    $("engine").textContent = meta.engine === "jit" ? "jit (JAX/XLA)" : "numpy";
    for (const s of meta.scenarios) option($("scenario"), s.name, s.name).title = s.description;
    for (const p of meta.plans) { option($("plan"), p.name, p.name).title = p.description; option($("baseline"), p.name, p.name).title = p.description; }
    fromHash(location.hash);
    syncControls();
    try { await loadScenario(); } catch (e) { showError(e.message); state.scenario = "default"; syncControls(); await loadScenario(); }
    await loadPlan();
    $("report-samples").value = meta.limits.report_samples; $("report-samples").max = meta.limits.max_report_samples;
    wire();
    changed();
  }

  function wire() {
    $("scenario").addEventListener("change", async e => { state.scenario = e.target.value; state.beliefs = {}; await loadScenario(); changed(); });
    $("plan").addEventListener("change", async e => { if (e.target.value === "__custom__") return; state.plan = e.target.value; state.planText = null; state.params = {}; await loadPlan(); changed(); });
    $("baseline").addEventListener("change", e => { state.baseline = e.target.value; changed(); });
    $("samples").addEventListener("change", e => { state.samples = Number(e.target.value); changed(); });
    $("seed").addEventListener("change", e => { const v = Number(e.target.value); if (Number.isInteger(v) && v >= 0) { state.seed = v; changed(); } else showError("seed: must be a non-negative whole number"); });
    $("world").addEventListener("change", e => { const v = Number(e.target.value); if (Number.isInteger(v) && v >= 0) { state.world = v; changed(); } });
    $("month").addEventListener("input", e => { state.month = Number(e.target.value); renderWorld(); });
    $("play").addEventListener("click", play);
    $("step").addEventListener("click", () => { if (!last) return; state.month = (state.month + 1) % last.page.months; $("month").value = state.month; renderWorld(); });
    $("reset-beliefs").addEventListener("click", () => { state.beliefs = {}; buildBeliefSliders(); changed(); });
    $("share").addEventListener("click", () => {
      writeHash(); $("share-box").hidden = false; $("share-url").value = location.href; $("share-url").select();
      if (navigator.clipboard) navigator.clipboard.writeText(location.href).catch(() => {});
    });
    $("save-plan").addEventListener("click", async () => {
      try {
        let text = await planText();
        if (!text.includes(":")) text = planInfo.yaml;  // an unchanged built-in plan: its own YAML
        const name = (text.match(/^name:\s*([A-Za-z0-9_.-]+)/m) || [null, "plan"])[1];
        const a = document.createElement("a");
        a.href = URL.createObjectURL(new Blob([text], { type: "text/yaml" })); a.download = `${name}.yaml`;
        document.body.appendChild(a); a.click(); a.remove();
      } catch (e) { showError(e.message); }
    });
    $("load-plan").addEventListener("change", async e => {
      const f = e.target.files[0]; if (!f) return;
      if (f.size > meta.limits.max_plan_text) { showError(`${f.name}: larger than ${meta.limits.max_plan_text} characters`); return; }
      await useCustomPlan(await f.text()); e.target.value = "";
    });
    $("apply-plan").addEventListener("click", () => useCustomPlan($("plan-text").value));
    $("report").addEventListener("click", makeReport);
    window.addEventListener("hashchange", async () => {
      if (location.hash.slice(1) === toHash()) return;
      fromHash(location.hash); syncControls(); await loadScenario(); await loadPlan(); changed();
    });
  }

  async function makeReport() {
    const samples = Number($("report-samples").value);
    const bar = $("report-progress"), link = $("report-link"), status = $("report-status");
    link.hidden = true; bar.hidden = false; bar.value = 0; $("report").disabled = true;
    try {
      const job = await postJSON("/api/report", { scenario: state.scenario, plans: [state.baseline, await planText()], samples, seed: state.seed, parameters: state.beliefs });
      status.textContent = `simulating ${samples.toLocaleString("en")} worlds per plan…`;
      for (;;) {
        await new Promise(r => setTimeout(r, 400));
        const s = await getJSON(`/api/report/${job.job}`);
        bar.value = s.progress;
        if (s.state === "error") throw new Error(s.error);
        if (s.state === "done") {
          link.href = `/api/report/${job.job}/html`; link.hidden = false; link.setAttribute("download", "");
          status.textContent = `saved as run ${s.run_id}; ${s.samples.toLocaleString("en")} worlds per plan`;
          break;
        }
        status.textContent = s.progress < 0.8 ? `simulating… ${Math.round(100 * s.progress / 0.8)}%` : "drawing the report…";
      }
    } catch (e) { showError(e.message); status.textContent = ""; }
    finally { bar.hidden = link.hidden === false; $("report").disabled = false; }
  }

  init().catch(e => showError(e.message));
})();
